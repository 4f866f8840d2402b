import { request } from 'node:http'
import t from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { admin, registration } from '../helpers/phone-flows.js'
import {
  TEST_REDIS_URL,
  createTestDatabase,
  createTestRedisPrefix,
  noPg,
  noRedis,
  uniqueSuffix
} from '../helpers/services.js'
import { spawnService, type SpawnedService } from '../helpers/spawn-service.js'
import { startTestSmtpServer } from '../helpers/test-smtp-server.js'

// Two service processes starting and some 250 requests: about 10 s alone, far more on a busy machine.
t.setTimeout(300_000)

/**
 * The attack of issue 21, played for real: many clients on many networks against two instances
 * that share PostgreSQL and Redis, with the limits as they ship. Linux loopback answers all of
 * 127.0.0.0/8, so a request leaves from any 127.n.0.h by binding its local address; with no
 * TRUST_PROXY the service counts that socket address. A client is one address, a network its /24
 * (domain/client-network.ts): 127.n.0.1 and 127.n.0.2 are two clients of one network.
 */
const at = (network: number, host: number): string => `127.${network}.0.${host}`
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)

const HOME = at(200, 1) // the email member's usual address
const PHONE_HOME = 201 // the phone member's network
const PASSWORD_ATTACK = range(10, 40) // 40 networks
const RESET_ATTACK = range(50, 10)
const CODE_ATTACK = range(60, 10)
const UNKNOWN = at(99, 1) // never used before its one guess
const MAIL_FROM = 'Mobile Auth <no-reply@auth.example.net>'

interface Answer { status: number, body: any, retryAfter: number | null }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `work` over the items, `width` at a time, answers in the items' order. */
async function inParallel<T, R> (
  items: T[],
  width: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i)
  }
  await Promise.all(Array.from({ length: width }, worker))
  return results
}

t.test(
  'many clients on many networks against two instances: strangers are refused, the members get in at the first try',
  { skip: noPg || noRedis },
  async t => {
    const smtp = await startTestSmtpServer(t)
    const env = {
      DATABASE_URL: await createTestDatabase(t),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: createTestRedisPrefix(t),
      JWT_SECRET: 'many-networks-secret-many-networks-secret',
      ADMIN_API_KEY: ADMIN_KEY,
      SMTP_URL: smtp.url,
      MAIL_FROM,
      // On loopback, so every 127.x address reaches it. No TRUST_PROXY and no RATE_LIMIT_*: the
      // socket's address is the client, under the limits as they ship.
      HOST: '127.0.0.1'
    }
    const [a, b] = (await Promise.all([spawnService(t, env), spawnService(t, env)])) as [SpawnedService, SpawnedService]
    /** The instance for the i-th request: the test is a load balancer alternating between the two. */
    const via = (i: number): SpawnedService => (i % 2 === 0 ? a : b)
    const used = new Set<string>()

    /** A request that leaves from the address `from`. */
    function callFrom (
      instance: SpawnedService,
      from: string,
      method: string,
      path: string,
      body?: unknown
    ): Promise<Answer> {
      used.add(from)
      const { port } = new URL(instance.base)
      const payload = body === undefined ? undefined : JSON.stringify(body)
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            localAddress: from,
            method,
            path,
            agent: false,
            headers: payload === undefined ? {} : { 'content-type': 'application/json' }
          },
          res => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => {
              text += chunk
            })
            res.on('end', () => {
              const retryAfter = res.headers['retry-after']
              resolve({
                status: res.statusCode ?? 0,
                body: text === '' ? null : JSON.parse(text),
                retryAfter: retryAfter === undefined ? null : Number(retryAfter)
              })
            })
            res.on('error', reject)
          }
        )
        req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} from ${from}: no answer in 30 s`)))
        req.on('error', reject)
        req.end(payload)
      })
    }

    /**
     * The last code the log-only SMS sender of either instance texted to the number; the pipe may deliver its line just
     * after the answer.
     */
    async function codeTextedTo (e164: string): Promise<string> {
      const deadline = Date.now() + 10_000
      while (Date.now() < deadline) {
        for (const instance of [a, b]) {
          const entry = instance
            .output()
            .split('\n')
            .flatMap(line => {
              try {
                return [JSON.parse(line)]
              } catch {
                return []
              }
            })
            .findLast(logged => logged.msg === 'sms.sent' && logged.to === e164)
          const code = /\d{6}/.exec(entry?.text ?? '')?.[0]
          if (code !== undefined) return code
        }
        await sleep(50)
      }
      throw new Error(`no code texted to ${e164} within 10 s`)
    }

    /**
     * The code of the first mail to `address` received after the first `since`; the forgot mail leaves after its 202.
     */
    async function codeMailedTo (address: string, since: number): Promise<string> {
      const deadline = Date.now() + 10_000
      while (Date.now() < deadline) {
        const mail = smtp.received.slice(since).find(received => received.envelope.to.includes(address))
        if (mail !== undefined) return /^(\d{6})$/m.exec(mail.parsed.text ?? '')?.[1] ?? ''
        await sleep(50)
      }
      throw new Error(`no mail reached ${address} within 10 s`)
    }

    /** A code that is not `code`, a different one for each i. */
    const wrongCode = (code: string, i: number): string => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0')
    /** How many of each answer, such as `20 × 401 INVALID_CREDENTIALS, 60 × 429 TOO_MANY_REQUESTS`. */
    const statusesOf = (answers: Answer[]): string => {
      const tally = new Map<string, number>()
      for (const { status, body } of answers) {
        const seen = `${status} ${body?.code}`
        tally.set(seen, (tally.get(seen) ?? 0) + 1)
      }
      return [...tally]
        .sort()
        .map(([answer, n]) => `${n} × ${answer}`)
        .join(', ')
    }
    const count = (answers: Answer[], status: number, code: string) =>
      answers.filter(answer => answer.status === status && answer.body?.code === code).length

    const email = `many-${uniqueSuffix()}@example.com`
    const password = 'the member password 21'

    t.test(
      '80 wrong passwords from 40 networks; an unknown network meets 429 with Retry-After; the member signs in from ' +
        'their usual address at the first try',
      async t => {
        t.equal((await callFrom(a, HOME, 'POST', '/auth/register', { email, password })).status, 200)
        t.equal(
          (await callFrom(b, HOME, 'POST', '/auth/login/json', { email, password })).status,
          200,
          'a sign-in: the usual address is known for the email'
        )

        // Two clients of each of 40 networks, two guesses a network, eight at a time.
        const attackers = PASSWORD_ATTACK.flatMap(network => [at(network, 1), at(network, 2)])
        const answers = await inParallel(attackers, 8, (from, i) =>
          callFrom(via(i), from, 'POST', '/auth/login/json', { email, password: `stuffed password ${i}` })
        )
        const wrong = count(answers, 401, 'INVALID_CREDENTIALS')
        const refused = answers.filter(answer => answer.status === 429)
        t.equal(wrong + count(answers, 429, 'TOO_MANY_REQUESTS'), 80, `only wrong or refused: ${statusesOf(answers)}`)
        t.ok(wrong >= 20, `the strangers' 20 free guesses were wrong (${wrong})`)
        t.ok(refused.length >= 40, `then their budget was spent: ${refused.length} refused`)
        t.ok(
          refused.every(answer => answer.retryAfter !== null && answer.retryAfter >= 1),
          'every refusal says when to come back'
        )

        // The attack goes on, one guess every quarter second from further clients of the same
        // networks, until strangers are told to wait over 3 s (their spaces double: 1, 2, 4 s...).
        // Then the next guess from a new network is refused however the attack's timing fell.
        let told: Answer | undefined
        for (let i = 0; told === undefined; i++) {
          if (i === 160) throw new Error('in 40 s of guessing, strangers were never told to wait over 3 s')
          const answer = await callFrom(
            via(i),
            at(PASSWORD_ATTACK[i % 40]!, 3 + Math.floor(i / 40)),
            'POST',
            '/auth/login/json',
            { email, password: `stuffed again ${i}` }
          )
          if (![401, 429].includes(answer.status)) {
            throw new Error(`a stranger's guess answered ${answer.status} ${JSON.stringify(answer.body)}`)
          }
          if (answer.status === 429 && answer.retryAfter !== null && answer.retryAfter >= 4) told = answer
          else await sleep(250)
        }

        const unknown = await callFrom(b, UNKNOWN, 'POST', '/auth/login/json', {
          email,
          password: 'a first guess from afar'
        })
        t.same(
          [unknown.status, unknown.body.code],
          [429, 'TOO_MANY_REQUESTS'],
          'a network never seen before is a stranger too'
        )
        t.ok(unknown.retryAfter !== null && unknown.retryAfter >= 1, `with Retry-After (${unknown.retryAfter})`)

        const member = await callFrom(a, HOME, 'POST', '/auth/login/json', { email, password })
        t.equal(member.status, 200, 'the member signs in at the first try')
        t.type(member.body?.access_token, 'string')
      }
    )

    t.test('a reset with the mailed code works at the first try while other networks guess the code', async t => {
      const since = smtp.received.length
      t.equal((await callFrom(b, HOME, 'POST', '/auth/password/forgot', { email })).status, 202)
      const code = await codeMailedTo(email, since)
      t.match(code, /^\d{6}$/)
      const newPassword = 'a new password after the attack'
      const guess = (from: string, i: number) =>
        callFrom(via(i), from, 'POST', '/auth/password/reset', {
          email,
          code: wrongCode(code, i),
          new_password: 'taken over by a stranger'
        })

      // Twenty clients of ten networks: the strangers' five tries are spent together.
      const first = await inParallel(
        RESET_ATTACK.flatMap(network => [at(network, 1), at(network, 2)]),
        10,
        guess
      )
      t.equal(count(first, 400, 'INVALID_CODE'), 4, statusesOf(first))
      t.equal(
        count(first, 429, 'OTP_ATTEMPTS_EXCEEDED'),
        16,
        'the fifth wrong code voids the code for every other network'
      )
      t.ok(
        first
          .filter(answer => answer.status === 429)
          .every(answer => answer.retryAfter !== null && answer.retryAfter >= 1),
        'with Retry-After'
      )

      // Ten more guesses in flight while the member resets from the network that asked.
      const [second, reset] = await Promise.all([
        inParallel(
          RESET_ATTACK.map(network => at(network, 3)),
          10,
          (from, i) => guess(from, 20 + i)
        ),
        callFrom(a, HOME, 'POST', '/auth/password/reset', { email, code, new_password: newPassword })
      ])
      t.same(
        [reset.status, reset.body],
        [200, { message: 'Password has been reset' }],
        "the member's code works at the first try"
      )
      t.ok(
        second.every(
          answer =>
            (answer.status === 429 && answer.body.code === 'OTP_ATTEMPTS_EXCEEDED') ||
            (answer.status === 400 && answer.body.code === 'CODE_EXPIRED')
        ),
        `the strangers stay void, then find no code: ${statusesOf(second)}`
      )

      t.equal(
        (await callFrom(b, HOME, 'POST', '/auth/login/json', { email, password: newPassword })).status,
        200,
        'the new password signs in'
      )
      t.equal(
        (await callFrom(a, HOME, 'POST', '/auth/login/json', { email, password })).status,
        401,
        'the old one no longer does'
      )
    })

    t.test(
      "50 wrong codes from 10 networks, then the member's own code from the network that asked signs in at the first " +
        'try',
      async t => {
        const body = registration()
        const e164 = '+82' + body.mobile.slice(1)
        const signup = await a.call('POST', '/api/registration/', { body })
        t.equal(signup.status, 201)
        t.equal((await b.call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)

        t.equal(
          (await callFrom(a, at(PHONE_HOME, 1), 'POST', '/api/auth/mobile/', { mobile: body.mobile })).status,
          200
        )
        const code = await codeTextedTo(e164)
        t.match(code, /^\d{6}$/)

        // Five clients of each of ten networks, one wrong code each, ten at a time.
        const attackers = CODE_ATTACK.flatMap(network => range(1, 5).map(host => at(network, host)))
        const answers = await inParallel(attackers, 10, (from, i) =>
          callFrom(via(i), from, 'POST', '/api/token/', { mobile: body.mobile, token: wrongCode(code, i) })
        )
        t.equal(count(answers, 401, 'invalid_otp'), 4, statusesOf(answers))
        t.equal(
          count(answers, 429, 'otp_attempts_exceeded'),
          46,
          'the fifth wrong code voids it for every other network, and never a 200'
        )
        t.ok(
          answers
            .filter(answer => answer.status === 429)
            .every(answer => answer.retryAfter !== null && answer.retryAfter >= 1),
          'with Retry-After'
        )

        const stolen = await callFrom(b, at(CODE_ATTACK[0]!, 6), 'POST', '/api/token/', {
          mobile: body.mobile,
          token: code
        })
        t.same(
          [stolen.status, stolen.body.code],
          [429, 'otp_attempts_exceeded'],
          "a void side is no oracle: even the right code is refused from a stranger's network"
        )

        // Another client of the same /24 as the one that asked: a phone behind carrier NAT may leave through another
        // address of its range.
        const session = await callFrom(b, at(PHONE_HOME, 2), 'POST', '/api/token/', {
          mobile: body.mobile,
          token: code
        })
        t.equal(session.status, 200, "the member's own code signs in at the first try")
        t.type(session.body?.access, 'string')
        t.type(session.body?.refresh, 'string')
        t.equal(session.body?.user?.uuid, signup.body.user.uuid)
      }
    )

    t.test('the requests left from at least 100 addresses on at least 40 networks', async t => {
      const networks = new Set([...used].map(address => address.split('.').slice(0, 3).join('.')))
      t.ok(used.size >= 100, `${used.size} addresses`)
      t.ok(networks.size >= 40, `${networks.size} networks (/24)`)
    })
  }
)
