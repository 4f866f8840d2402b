import t from 'tap'
import { LIMITS_ON, TEST_SETTINGS, buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { approvedMember, freshMobile } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

const ATTACKER = '203.0.113.66'
const MEMBER = '198.51.100.20'
const e164 = (mobile: string): string => '+82' + mobile.slice(1)
const requestCode = (app: App, mobile: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/auth/mobile/', remoteAddress: ip, payload: { mobile } })
const tryCode = (app: App, mobile: string, code: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/token/', remoteAddress: ip, payload: { mobile, token: code } })
const tryPassword = (app: App, email: string, password: string, ip: string) =>
  app.inject({ method: 'POST', url: '/auth/login/json', remoteAddress: ip, payload: { email, password } })
const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

t.test("per client address: the sixth request in a minute gets 429 in the door's format with Retry-After", async t => {
  const { app } = await buildTestApp(t, {}, { limits: { ...LIMITS_ON, perAddress: { max: 5, windowSeconds: 60 } } })
  const register = (ip: string) =>
    app.inject({ method: 'POST', url: '/auth/register', remoteAddress: ip, payload: { email: 'bad', password: 'x' } })
  for (let i = 0; i < 5; i++) t.equal((await register('203.0.113.7')).statusCode, 400)
  const refused = await register('203.0.113.7')
  t.equal(refused.statusCode, 429)
  t.equal(refused.json().code, 'TOO_MANY_REQUESTS')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After in seconds')
  t.equal((await register('198.51.100.9')).statusCode, 400, 'another address is not affected')
  const api = await app.inject({
    method: 'POST',
    url: '/api/sign-s3/',
    remoteAddress: '203.0.113.7',
    payload: { kind: 'avatar', content_type: 'image/jpeg' }
  })
  t.equal(api.statusCode, 200, 'limits count per route')
})

t.test('X-Forwarded-For is believed only from a trusted proxy', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: { ...LIMITS_ON, perAddress: { max: 5, windowSeconds: 60 } } })
  const spoofed = async (i: number) =>
    app.inject({
      method: 'POST',
      url: '/auth/register',
      remoteAddress: '203.0.113.50',
      headers: { 'x-forwarded-for': `10.0.0.${i}` },
      payload: { email: 'bad', password: 'x' }
    })
  const statuses = []
  for (let i = 0; i < 6; i++) statuses.push((await spoofed(i)).statusCode)
  t.equal(statuses[5], 429, 'a client cannot reset its count by inventing addresses')
})

t.test('the allow-list (addresses and CIDRs) exempts the per-address request limit only', async (t) => {
  const { app } = await buildTestApp(
    t,
    {},
    { limits: { ...LIMITS_ON, perAddress: { max: 3, windowSeconds: 60 } } },
    { rateLimits: { allowList: ['127.0.0.9', '10.20.0.0/16', '2001:db8::/32'] } }
  )
  for (const ip of ['127.0.0.9', '10.20.3.4', '::ffff:10.20.9.9', '2001:db8::1']) {
    const statuses = []
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await app.inject({
            method: 'POST',
            url: '/api/sign-s3/',
            remoteAddress: ip,
            payload: { kind: 'avatar', content_type: 'image/jpeg' }
          })
        ).statusCode
      )
    }
    t.same(statuses, [200, 200, 200, 200, 200], `${ip} is not limited per address`)
  }
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/sign-s3/',
        remoteAddress: '10.21.0.1',
        payload: { kind: 'avatar', content_type: 'image/jpeg' }
      })
    ).statusCode,
    200
  )

  // Yet an allow-listed office is no free guessing point: five wrong passwords stop it for that account.
  const { email, password } = await registerAndLogin(app)
  for (let i = 0; i < 5; i++) {
    t.equal((await tryPassword(app, email, `wrong password ${i}`, '10.20.3.4')).statusCode, 401)
  }
  t.equal(
    (await tryPassword(app, email, password, '10.20.3.4')).statusCode,
    429,
    'the guess limit holds for allow-listed addresses'
  )
})

t.test(
  "wrong codes from another network never void the member's code; the attacker meets otp_attempts_exceeded",
  async t => {
    const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
    const member = await approvedMember(app)
    t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 200)
    const code = ports.sms.lastCodeSentTo(e164(member.mobile))!

    const answers = []
    for (let i = 0; i < 5; i++) answers.push((await tryCode(app, member.mobile, wrongCode(code), ATTACKER)).json().code)
    t.same(
      answers,
      ['invalid_otp', 'invalid_otp', 'invalid_otp', 'invalid_otp', 'otp_attempts_exceeded'],
      'four wrong, then the code is void for every network but the one that asked'
    )
    const stopped = await tryCode(app, member.mobile, code, ATTACKER)
    t.equal(stopped.statusCode, 429)
    t.equal(
      stopped.json().code,
      'otp_attempts_exceeded',
      "the contract's word, not throttled; even the right code is refused there"
    )
    t.equal(stopped.headers['retry-after'], '60', 'Retry-After: the resend cooldown')
    t.equal(
      (await tryCode(app, member.mobile, wrongCode(code), '192.0.2.77')).json().code,
      'otp_attempts_exceeded',
      'every other network shares that side'
    )

    const signedIn = await tryCode(app, member.mobile, code, MEMBER)
    t.equal(signedIn.statusCode, 200, 'the member signs in with the code they asked for, at the first try')
    t.ok(signedIn.json().access)
  }
)

t.test('an address that keeps failing is spaced out for longer each time', async (t) => {
  const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const { email } = await registerAndLogin(app)
  for (let i = 0; i < 5; i++) t.equal((await tryPassword(app, email, `guess ${i}`, ATTACKER)).statusCode, 401)
  const waitThenGuess = async (): Promise<number> => {
    const refused = await tryPassword(app, email, 'too soon', ATTACKER)
    t.equal(refused.statusCode, 429)
    const wait = Number(refused.headers['retry-after'])
    ports.clock.advance(wait * 1000)
    t.equal((await tryPassword(app, email, 'once the wait is over', ATTACKER)).statusCode, 401, 'one more guess passes')
    return wait
  }
  const first = await waitThenGuess()
  t.ok(first > 850 && first <= 900, `15 minutes (${first} s)`)
  const second = await waitThenGuess()
  t.ok(second > 1750 && second <= 1800, `then 30 (${second} s)`)
  const third = await waitThenGuess()
  t.ok(third > 3550 && third <= 3600, `then 60 (${third} s)`)
})

t.test('wrong passwords stop the attacker\'s address, never the member\'s right password', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const { email, password } = await registerAndLogin(app)
  const statuses = []
  for (let i = 0; i < 10; i++) statuses.push((await tryPassword(app, email, `not it ${i}`, ATTACKER)).statusCode)
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429])
  t.equal((await tryPassword(app, email, password, ATTACKER)).statusCode, 429, 'not even the right password from there')
  const member = await tryPassword(app, email, password, MEMBER)
  t.equal(member.statusCode, 200, 'the member signs in at once')
  t.equal(
    (await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(member.json().access_token) })).statusCode,
    200
  )
})

t.test('strangers together get growing delays, never a lock, and never the member\'s own budget', async (t) => {
  const { app, ports } = await buildTestApp(
    t,
    {},
    { limits: { ...LIMITS_ON, guesses: { ...LIMITS_ON.guesses, perTarget: 6 } } }
  )
  const { email, password } = await registerAndLogin(app, { client: MEMBER })
  for (let i = 0; i < 6; i++) {
    t.equal((await tryPassword(app, email, 'botnet guess', `192.0.${i + 1}.1`)).statusCode, 401, `bot ${i + 1}`)
  }
  // Past the strangers' budget each of their guesses waits its turn: 1 s, then 2 s, 4 s, ... at most LOGIN_DELAY_MAX.
  const spaced = await tryPassword(app, email, 'botnet guess', '192.0.50.1')
  t.equal(spaced.statusCode, 429)
  t.ok(Number(spaced.headers['retry-after']) <= 1, `a delay of seconds (${spaced.headers['retry-after']} s)`)
  t.equal(
    (await tryPassword(app, email, password, MEMBER)).statusCode,
    200,
    'the member, known where they signed in before, is not held at all'
  )
  t.equal(
    (await tryPassword(app, email, password, '203.0.113.200')).statusCode,
    429,
    'the member on a network never seen waits with the strangers'
  )

  for (let i = 0; i < 30; i++) {
    ports.clock.advance(301_000)
    await tryPassword(app, email, 'botnet guess', `192.0.${100 + i}.1`)
  }
  const capped = await tryPassword(app, email, 'botnet guess', '192.0.200.1')
  t.equal(capped.statusCode, 429)
  t.ok(Number(capped.headers['retry-after']) <= 300, 'the delay never exceeds LOGIN_DELAY_MAX (5 min)')
})

t.test(
  "codes texted: capped per (number, client); past the strangers' ceiling, one an hour; a known member is not held " +
    'by it',
  async t => {
    const limits = { ...LIMITS_ON, sms: { perAddressDaily: 2, perNumberDaily: 4, hourly: 1000 } }
    const { app, ports } = await buildTestApp(
      t,
      {},
      { limits, otp: { ...TEST_SETTINGS.otp, resendCooldownSeconds: 0 } }
    )
    const member = await approvedMember(app)
    const to = e164(member.mobile)
    t.same(
      [
        (await requestCode(app, member.mobile, ATTACKER)).statusCode,
        (await requestCode(app, member.mobile, ATTACKER)).statusCode
      ],
      [200, 200]
    )
    const capped = await requestCode(app, member.mobile, ATTACKER)
    t.equal(capped.statusCode, 429, "the attacker's address has used its two texts of the day")
    t.ok(Number(capped.headers['retry-after']) > 3600)
    t.equal(ports.sms.sent.filter(text => text.to === to).length, 2)

    t.equal(
      (await requestCode(app, member.mobile, MEMBER)).statusCode,
      429,
      "the attacker's live code is not replaced from another network"
    )
    ports.clock.advance(TEST_SETTINGS.otp.ttlSeconds * 1000 + 1000)
    t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 200, 'once it expired the member gets a code')
    t.equal(
      (await tryCode(app, member.mobile, ports.sms.lastCodeSentTo(to)!, MEMBER)).statusCode,
      200,
      'and signs in: their client is known for the number now'
    )
    t.equal(
      (await requestCode(app, to, '192.0.2.7')).statusCode,
      200,
      "the fourth text at a stranger's request, the number typed another way"
    )
    const trickle = await requestCode(app, member.mobile, '192.0.2.9')
    t.equal(trickle.statusCode, 429, "strangers have used the number's ceiling")
    t.ok(Number(trickle.headers['retry-after']) <= 3600, 'a wait of at most an hour, not a day')
    t.equal(
      (await requestCode(app, member.mobile, MEMBER)).statusCode,
      200,
      "the known member is not held by the strangers' ceiling"
    )
    ports.clock.advance(3_601_000)
    t.equal(
      (await requestCode(app, member.mobile, '192.0.2.9')).statusCode,
      200,
      "the next hour, a stranger's next code"
    )
  }
)

t.test('a refused code request leaves the code the member holds working', async (t) => {
  const limits = { ...LIMITS_ON, sms: { perAddressDaily: 1, perNumberDaily: 10, hourly: 1000 } }
  const { app, ports } = await buildTestApp(t, {}, { limits })
  const member = await approvedMember(app)
  t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 200)
  const held = ports.sms.lastCodeSentTo(e164(member.mobile))!
  ports.clock.advance(61_000)
  t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 429, 'over the daily cap')
  t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 429, 'and no cooldown answer in its place')
  ports.clock.advance(61_000)
  t.equal(
    (await requestCode(app, member.mobile, ATTACKER)).statusCode,
    429,
    "another network cannot replace the member's live code"
  )
  ports.sms.failing = true
  t.equal(
    (await requestCode(app, member.mobile, '198.51.100.21')).statusCode,
    503,
    "the provider fails for a request from the member's own network, which may replace it"
  )
  ports.sms.failing = false
  t.equal((await tryCode(app, member.mobile, held, MEMBER)).statusCode, 200, 'the held code still signs the member in')
})

t.test('otp_attempts_exceeded carries Retry-After', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const member = await approvedMember(app)
  await requestCode(app, member.mobile, MEMBER)
  const code = ports.sms.lastCodeSentTo(e164(member.mobile))!
  for (let i = 0; i < 4; i++) await tryCode(app, member.mobile, wrongCode(code), MEMBER)
  const voided = await tryCode(app, member.mobile, wrongCode(code), MEMBER)
  t.equal(voided.statusCode, 429)
  t.equal(voided.json().code, 'otp_attempts_exceeded')
  t.equal(voided.headers['retry-after'], '60', 'a new code may be asked for after the cooldown')
})

t.test('on Redis, two instances count together', { skip: noPg || noRedis }, async (t) => {
  const env = { RATE_LIMIT_ALLOWLIST: '', RATE_LIMIT_PER_ADDRESS: '4' }
  const first = await startServiceOnPostgresAndRedis(t, env)
  const second = await startServiceOnPostgresAndRedis(t, {
    ...env,
    DATABASE_URL: first.config.database.url!,
    REDIS_KEY_PREFIX: first.config.redis.keyPrefix
  })
  const statuses = []
  for (let i = 0; i < 6; i++) {
    const service = i % 2 === 0 ? first : second
    statuses.push(
      (await service.call('POST', '/api/sign-s3/', { body: { kind: 'avatar', content_type: 'image/jpeg' } })).status
    )
  }
  t.same(statuses, [200, 200, 200, 200, 429, 429])
})

t.test('a number typed two ways is one target', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const national = freshMobile()
  const forms = [
    national,
    `+82${national.slice(1)}`,
    `${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`
  ]
  await approvedMember(app, { mobile: national })
  t.equal((await requestCode(app, national, MEMBER)).statusCode, 200)
  const statuses = []
  for (let i = 0; i < 6; i++) statuses.push((await tryCode(app, forms[i % 3]!, '000000', ATTACKER)).statusCode)
  t.same(
    statuses,
    [401, 401, 401, 401, 429, 429],
    'five wrong tries however the number is typed void the code for that network'
  )
})
