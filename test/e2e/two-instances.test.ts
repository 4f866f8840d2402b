import postgres from 'postgres'
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

t.test('two instances (separate processes) sharing PostgreSQL and Redis', { skip: noPg || noRedis }, async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: createTestRedisPrefix(t),
    JWT_SECRET: 'two-instances-secret-two-instances-secret',
    ADMIN_API_KEY: ADMIN_KEY,
    REFRESH_REUSE_GRACE: '1s',
    RATE_LIMIT_PER_ADDRESS: '1000',
    LOGIN_FAILURES_PER_ADDRESS: '4',
    OTP_RESEND_COOLDOWN: '2s',
    // The test is the load balancer: it says which client address each request comes from.
    TRUST_PROXY: '127.0.0.1'
  }
  // Both start at once against an empty database: the migration lock lets one migrate.
  const [a, b] = await Promise.all([spawnService(t, env), spawnService(t, env)]) as [SpawnedService, SpawnedService]

  t.test('both started on the empty database, and the migrations ran once', async (t) => {
    t.equal((await a.call('GET', '/ready')).status, 200)
    t.equal((await b.call('GET', '/ready')).status, 200)
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    t.teardown(() => sql.end({ timeout: 2 }))
    const rows = await sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`
    t.ok(rows.length >= 3)
    t.ok(rows.every((row) => row.n === 1), 'no migration applied twice')
  })

  /** The code from the log-only sender's line; the pipe may deliver it just after the response. */
  async function codeSentTo (instance: SpawnedService, e164: string): Promise<string> {
    for (let i = 0; i < 40; i++) {
      const line = instance.output().split('\n').filter((text) => text.startsWith('{')).map((text) => JSON.parse(text))
        .findLast((entry) => entry.msg === 'sms.sent' && entry.to === e164)
      if (line !== undefined) return /\d{6}/.exec(line.text)?.[0] ?? ''
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return ''
  }

  async function phoneMember () {
    const body = registration()
    const signup = await a.call('POST', '/api/registration/', { body })
    t.equal(signup.status, 201)
    t.equal((await b.call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
    return { mobile: body.mobile, e164: '+82' + body.mobile.slice(1), uuid: signup.body.user.uuid as string }
  }

  t.test('a code requested on one instance verifies on the other; a logout on one is refused on the other', async t => {
    const member = await phoneMember()
    t.equal((await a.call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile } })).status, 200)
    const code = await codeSentTo(a, member.e164)
    t.match(code, /^\d{6}$/)
    t.equal(
      (await b.call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile } })).status,
      429,
      'the resend cooldown is shared'
    )
    const session = await b.call('POST', '/api/token/', { body: { mobile: member.e164, token: code } })
    t.equal(session.status, 200)
    t.equal(session.body.user.uuid, member.uuid)
    t.equal(
      (await a.call('POST', '/api/token/', { body: { mobile: member.e164, token: code } })).status,
      401,
      'a code is spent once, on every instance'
    )

    t.equal((await a.call('POST', '/api/logout/', { body: { refresh: session.body.refresh } })).status, 200)
    const refused = await b.call('POST', '/api/token/refresh/', { body: { refresh: session.body.refresh } })
    t.equal(refused.status, 401)
    t.equal(refused.body.code, 'token_not_valid')

    const email = `two-${uniqueSuffix()}@example.com`
    const password = 'two instances 123'
    t.equal((await a.call('POST', '/auth/register', { body: { email, password } })).status, 200)
    const token = (await b.call('POST', '/auth/login/json', { body: { email, password } })).body.access_token
    t.equal((await a.call('GET', '/auth/me', { token })).status, 200)
    t.equal((await a.call('POST', '/auth/logout', { token })).status, 200)
    t.equal((await b.call('GET', '/auth/me', { token })).status, 401)
  })

  t.test(
    'refresh: concurrent on both instances get one pair; a replay after the grace ends the family everywhere',
    async t => {
      const member = await phoneMember()
      await a.call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile } })
      const session = (
        await a.call('POST', '/api/token/', { body: { mobile: member.e164, token: await codeSentTo(a, member.e164) } })
      ).body
      const [onA, onB] = await Promise.all(
        [a, b].map(instance => instance.call('POST', '/api/token/refresh/', { body: { refresh: session.refresh } }))
      )
      t.equal(onA!.status, 200)
      t.same(onB!.body, onA!.body)
      await new Promise(resolve => setTimeout(resolve, 1200))
      t.equal((await b.call('POST', '/api/token/refresh/', { body: { refresh: session.refresh } })).status, 401)
      t.equal((await a.call('GET', '/api/users/me/', { token: onA!.body.access })).status, 401)
      t.equal((await a.call('POST', '/api/token/refresh/', { body: { refresh: onA!.body.refresh } })).status, 401)
    }
  )

  t.test(
    'sign-out everywhere, a rejection and a deletion on one instance end the tokens on the other at once',
    async t => {
      const email = `everywhere-${uniqueSuffix()}@example.com`
      const password = 'two instances 456'
      await a.call('POST', '/auth/register', { body: { email, password } })
      const [first, second] = [
        (await a.call('POST', '/auth/login/json', { body: { email, password } })).body.access_token,
        (await b.call('POST', '/auth/login/json', { body: { email, password } })).body.access_token
      ]
      t.equal((await b.call('GET', '/auth/me', { token: second })).status, 200, 'the standing is cached on both')
      t.equal((await a.call('POST', '/auth/logout?scope=all', { token: first })).status, 200)
      t.equal((await b.call('GET', '/auth/me', { token: second })).status, 401)
      const fresh = (await b.call('POST', '/auth/login/json', { body: { email, password } })).body.access_token
      t.equal((await a.call('GET', '/auth/me', { token: fresh })).status, 200, 'a later sign-in works')
      t.equal((await b.call('DELETE', '/auth/me', { token: fresh })).status, 200)
      const gone = await a.call('GET', '/auth/me', { token: fresh })
      t.equal(gone.status, 401)
      t.equal(gone.body.code, 'USER_NOT_FOUND')

      const member = await phoneMember()
      await a.call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile } })
      const session = (
        await a.call('POST', '/api/token/', { body: { mobile: member.e164, token: await codeSentTo(a, member.e164) } })
      ).body
      t.equal((await a.call('POST', '/api/token/refresh/', { body: { refresh: session.refresh } })).status, 200)
      t.equal(
        (await b.call('POST', `/admin/users/${member.uuid}/reject`, { headers: admin, body: { reason: 'test' } }))
          .status,
        200
      )
      t.equal((await a.call('GET', '/api/users/me/', { token: session.access })).status, 401)
      const refused = await a.call('POST', '/api/token/refresh/', { body: { refresh: session.refresh } })
      t.equal(refused.status, 403)
      t.equal(refused.body.code, '1005')
    }
  )

  t.test('rate limits count across both instances', async (t) => {
    const email = `limited-${uniqueSuffix()}@example.com`
    const statuses: number[] = []
    for (const instance of [a, b, a, b, a]) {
      statuses.push(
        (await instance.call('POST', '/auth/login/json', { body: { email, password: 'wrong password 1' } })).status
      )
    }
    t.same(statuses, [401, 401, 401, 401, 429], 'LOGIN_FAILURES_PER_ADDRESS=4, whichever instance answers')
    const throttled = await b.call('POST', '/auth/login/json', { body: { email, password: 'wrong password 1' } })
    t.equal(throttled.status, 429)
    t.ok(Number(throttled.headers.get('retry-after')) > 0)
  })

  t.test(
    'the attacker on one address is refused on both instances; the member on another signs in by code and by password',
    async t => {
      const attacker = { 'x-forwarded-for': '203.0.113.66' }
      const home = { 'x-forwarded-for': '198.51.100.20' }
      const member = await phoneMember()
      t.equal(
        (await a.call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile }, headers: home })).status,
        200
      )
      const code = await codeSentTo(a, member.e164)
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
      const guesses: number[] = []
      for (const instance of [a, b, a, b, a]) {
        guesses.push(
          (
            await instance.call('POST', '/api/token/', {
              body: { mobile: member.mobile, token: wrong },
              headers: attacker
            })
          ).status
        )
      }
      t.same(
        guesses,
        [401, 401, 401, 401, 429],
        "four wrong codes, then the code is void for every network but the member's"
      )
      t.equal(
        (await b.call('POST', '/api/token/', { body: { mobile: member.mobile, token: code }, headers: attacker }))
          .status,
        429,
        'even with the right code'
      )
      const byCode = await b.call('POST', '/api/token/', {
        body: { mobile: member.mobile, token: code },
        headers: home
      })
      t.equal(byCode.status, 200, 'the member signs in with the code they hold')

      await new Promise(resolve => setTimeout(resolve, 2100)) // the resend cooldown
      t.equal(
        (await b.call('POST', '/api/auth/mobile/', { body: { mobile: member.mobile }, headers: attacker })).status,
        200,
        'a code request is not a guess'
      )
      const theirs = await codeSentTo(b, member.e164)
      t.equal(
        (
          await a.call('POST', '/api/token/', {
            body: { mobile: member.mobile, token: wrong === theirs ? code : wrong },
            headers: home
          })
        ).status,
        401,
        "a code asked for elsewhere: the member's network tries it on the others' side"
      )
      t.equal(
        (await a.call('POST', '/api/token/', { body: { mobile: member.mobile, token: theirs }, headers: home })).status,
        200,
        'and the member who received it signs in with it'
      )

      const email = `member-${uniqueSuffix()}@example.com`
      const password = 'the member password 1'
      t.equal((await a.call('POST', '/auth/register', { body: { email, password }, headers: home })).status, 200)
      const wrongPasswords: number[] = []
      for (const instance of [a, b, a, b, a, b]) {
        wrongPasswords.push(
          (
            await instance.call('POST', '/auth/login/json', {
              body: { email, password: 'stuffed password' },
              headers: attacker
            })
          ).status
        )
      }
      t.same(wrongPasswords, [401, 401, 401, 401, 429, 429])
      t.equal((await a.call('POST', '/auth/login/json', { body: { email, password }, headers: attacker })).status, 429)
      const byPassword = await b.call('POST', '/auth/login/json', { body: { email, password }, headers: home })
      t.equal(byPassword.status, 200, 'the member signs in by password')
    }
  )
})
