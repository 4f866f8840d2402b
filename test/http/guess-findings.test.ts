import { setImmediate as settle } from 'node:timers/promises'
import t from 'tap'
import { createMemoryHitCounter } from '../../src/adapters/memory/memory-hit-counter.js'
import { createMemoryKnownClients } from '../../src/adapters/memory/memory-known-clients.js'
import { createMemoryOtpStore } from '../../src/adapters/memory/memory-otp-store.js'
import { createMemoryUserStores } from '../fakes/memory-user-stores.js'
import { LIMITS_ON, TEST_SETTINGS, buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, cookieOf, form, hiddenField, totpCode, withCookie } from '../helpers/console-flows.js'
import { registerAndLogin } from '../helpers/email-flows.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { uniqueSuffix } from '../helpers/services.js'
import { approvedMember } from '../helpers/phone-flows.js'

// The attacks of issue 21, each played through the real app: many client addresses, every one
// of them its own /24 (and /16), against one member.
type App = Awaited<ReturnType<typeof buildTestApp>>['app']
const MEMBER = '198.51.100.20'
const network = (i: number) => `10.${i % 250}.${Math.floor(i / 250)}.1` // a new /24 for each i
const e164 = (mobile: string): string => '+82' + mobile.slice(1)
const tryPassword = (app: App, email: string, password: string, ip: string) =>
  app.inject({ method: 'POST', url: '/auth/login/json', remoteAddress: ip, payload: { email, password } })
const requestCode = (app: App, mobile: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/auth/mobile/', remoteAddress: ip, payload: { mobile } })
const tryCode = (app: App, mobile: string, code: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/token/', remoteAddress: ip, payload: { mobile, token: code } })
const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const reset = (app: App, email: string, code: string, ip: string) =>
  app.inject({
    method: 'POST',
    url: '/auth/password/reset',
    remoteAddress: ip,
    payload: { email, code, new_password: 'a brand new password' }
  })

t.test('1. strangers on 60 networks cannot lock a member out of password login or reset', async (t) => {
  const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const { email, password } = await registerAndLogin(app, { client: MEMBER })
  const statuses: number[] = []
  for (let i = 0; i < 120; i++) statuses.push((await tryPassword(app, email, `guess ${i}`, network(i % 60))).statusCode)
  t.ok(statuses.filter((status) => status === 429).length > 60, 'the strangers are held')
  t.ok(
    statuses.filter(status => status === 401).length <= 30,
    `few of their guesses were checked (${statuses.filter(status => status === 401).length})`
  )
  const member = await tryPassword(app, email, password, MEMBER)
  t.equal(member.statusCode, 200, 'the member\'s right password from their usual address: the first try')

  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/auth/password/forgot',
        remoteAddress: '203.0.113.5',
        payload: { email }
      })
    ).statusCode,
    202,
    'the member asks for a reset from a network never seen'
  )
  await settle()
  const code = ports.mail.lastCodeSentTo(email)!
  for (let i = 0; i < 40; i++) await reset(app, email, wrongCode(code), network(100 + i))
  t.equal(
    (await reset(app, email, code, '203.0.113.5')).statusCode,
    200,
    'the mailed code works at the first try, from the network that asked for it'
  )
  t.equal(
    (await tryPassword(app, email, 'a brand new password', '203.0.113.5')).statusCode,
    200,
    'and that network is known now'
  )
})

t.test(
  "1. a staff member's own browser is not held by strangers' wrong passwords, wherever it signs in from",
  async t => {
    const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
    const staff = await addStaff(ports, 'reviewer')
    const signInFrom = async (ip: string, password: string, device: string | null) => {
      const page = await app.inject({ method: 'GET', url: '/console/sign-in', remoteAddress: ip })
      const cookies = [cookieOf(page.headers['set-cookie'], 'console-pre')!, ...(device === null ? [] : [device])].join(
        '; '
      )
      return app.inject({
        method: 'POST',
        url: '/console/sign-in',
        remoteAddress: ip,
        ...withCookie(form({ email: staff.email, password, _pre: hiddenField(page.body, '_pre')! }), cookies)
      })
    }
    const first = await signInFrom('192.0.2.10', staff.password, null)
    t.equal(first.statusCode, 303, 'the first sign-in, from the office')
    const device = cookieOf(first.headers['set-cookie'], 'console-device')!
    t.ok(device, 'the browser got its device cookie')
    t.match(first.headers['set-cookie'], /console-device=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=2592000/)

    for (let i = 0; i < 40; i++) await signInFrom(network(i), 'not the password', null)
    t.equal(
      (await signInFrom(network(41), staff.password, null)).statusCode,
      429,
      'a browser without the cookie, from a new network, waits with the strangers'
    )
    t.equal(
      (await signInFrom('203.0.113.77', staff.password, device)).statusCode,
      303,
      "the staff member's own browser, from a network never seen, goes through at once"
    )
    const forged = `console-device=${'A'.repeat(43)}`
    t.equal(
      (await signInFrom(network(42), staff.password, forged)).statusCode,
      429,
      'a made-up device id is worth nothing'
    )
  }
)

t.test('2. strangers cannot void the member\'s codes, a new address per code or not', async (t) => {
  const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const member = await approvedMember(app)
  for (let round = 0; round < 3; round++) {
    t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 200)
    const code = ports.sms.lastCodeSentTo(e164(member.mobile))!
    const answers = []
    for (let i = 0; i < 6; i++) {
      answers.push((await tryCode(app, member.mobile, wrongCode(code), network(10 * round + i))).statusCode)
    }
    t.same(
      answers,
      [401, 401, 401, 401, 429, 429],
      `code ${round + 1}: a fresh network per try, the strangers' side is void after five`
    )
    t.equal(
      (await tryCode(app, member.mobile, code, MEMBER)).statusCode,
      200,
      `code ${round + 1} still signs the member in`
    )
    ports.clock.advance(61_000)
  }
})

t.test('2. once strangers have used a number\'s codes of the day, the member still gets theirs', async (t) => {
  const { app, ports } = await buildTestApp(
    t,
    {},
    { limits: LIMITS_ON, otp: { ...TEST_SETTINGS.otp, resendCooldownSeconds: 0 } }
  )
  const member = await approvedMember(app)
  t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 200)
  t.equal(
    (await tryCode(app, member.mobile, ports.sms.lastCodeSentTo(e164(member.mobile))!, MEMBER)).statusCode,
    200,
    'the member signed in by code once: known for the number'
  )
  const statuses = []
  for (let i = 0; i < 14; i++) {
    statuses.push((await requestCode(app, member.mobile, network(i))).statusCode)
    // A stranger's live code cannot be replaced by another stranger.
    ports.clock.advance(TEST_SETTINGS.otp.ttlSeconds * 1000 + 1000)
  }
  t.same(statuses.filter((status) => status === 200).length, 9, 'strangers got what was left of the ten')
  const held = await requestCode(app, member.mobile, network(20))
  t.equal(held.statusCode, 429, 'the next stranger waits for the hourly trickle')
  t.equal(
    (await requestCode(app, member.mobile, MEMBER)).statusCode,
    200,
    'the member asks from their known network and gets a code'
  )
})

t.test(
  '4. a wrong reset code reads the same for an address with an account and one without, and does the same work',
  async t => {
    // Every call the service makes to its code store, counters and user store, in order: the same
    // calls in the same order are the same time, give or take the stores' own variance.
    const clock = new ManualClock()
    const calls: string[] = []
    const recorded = <T extends object>(name: string, port: T): T =>
      new Proxy(port, {
        get: (target, method) => {
          const value = Reflect.get(target, method)
          return typeof value === 'function'
            ? (...args: unknown[]) => {
                calls.push(`${name}.${String(method)}`)
                return value.apply(target, args)
              }
            : value
        }
      })
    const stores = createMemoryUserStores(clock)
    const { app } = await buildTestApp(
      t,
      {
        clock,
        accounts: recorded('accounts', stores.accounts),
        emailChanges: recorded('emailChanges', stores.emailChanges),
        review: recorded('review', stores.review),
        fileDeletions: recorded('fileDeletions', stores.fileDeletions),
        pushTokens: recorded('pushTokens', stores.pushTokens),
        otps: recorded('otps', createMemoryOtpStore(clock)),
        hits: recorded('hits', createMemoryHitCounter(clock)),
        knownClients: recorded('known', createMemoryKnownClients(clock))
      },
      { limits: LIMITS_ON }
    )
    const { email } = await registerAndLogin(app)
    const nobody = `nobody-${uniqueSuffix()}@example.com`
    const play = async (address: string) => {
      const answers = []
      answers.push(await reset(app, address, '123456', '203.0.113.1')) // before any forgot
      await app.inject({
        method: 'POST',
        url: '/auth/password/forgot',
        remoteAddress: '203.0.113.1',
        payload: { email: address }
      })
      await settle()
      for (let i = 0; i < 6; i++) {
        answers.push(await reset(app, address, String(100000 + i), i < 3 ? '203.0.113.1' : '198.51.100.1'))
      }
      for (let i = 0; i < 6; i++) answers.push(await reset(app, address, String(200000 + i), `192.0.2.${i + 1}`))
      answers.push(
        await app.inject({
          method: 'POST',
          url: '/auth/password/forgot',
          remoteAddress: '203.0.113.1',
          payload: { email: address }
        })
      )
      return answers.map(answer => [answer.statusCode, answer.body, answer.headers['retry-after'] ?? null])
    }
    const wrongReset = async (address: string) => {
      calls.length = 0
      await reset(app, address, '999999', '192.0.2.200')
      return [...calls]
    }
    const member = await play(email)
    t.same(
      await play(nobody),
      member,
      'status, body and Retry-After alike, try after try, from the asking network and from others'
    )
    t.same(
      await wrongReset(nobody),
      await wrongReset(email),
      'a wrong reset makes the same calls in the same order for both'
    )
    t.ok((await wrongReset(email)).includes('otps.check'), 'the record sees the code check')
    t.same(
      member.slice(0, 2).map(([status]) => status),
      [400, 400],
      'before a forgot: no code; after it: a wrong one'
    )
    t.ok(
      member.some(([status]) => status === 429),
      'and the tries end in otp_attempts_exceeded alike'
    )
  }
)

t.test('6. one IPv6 host is one client: its /64 shares one budget', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const { email } = await registerAndLogin(app)
  const statuses = []
  for (let i = 1; i <= 6; i++) {
    statuses.push((await tryPassword(app, email, `guess ${i}`, `2001:db8:77:1::${i.toString(16)}`)).statusCode)
  }
  t.same(statuses, [401, 401, 401, 401, 401, 429], 'six addresses of one /64 are one client')
  t.equal(
    (await tryPassword(app, email, 'guess 7', '2001:db8:77:2::1')).statusCode,
    401,
    'the next /64 is another client'
  )
})

t.test(
  '6. a password-stage console session gets five second-factor tries, whatever address they come from',
  async t => {
    const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
    const staff = await addStaff(ports, 'reviewer')
    const page = await app.inject({ method: 'GET', url: '/console/sign-in' })
    const pre = cookieOf(page.headers['set-cookie'], 'console-pre')!
    const password = await app.inject({
      method: 'POST',
      url: '/console/sign-in',
      ...withCookie(form({ email: staff.email, password: staff.password, _pre: hiddenField(page.body, '_pre')! }), pre)
    })
    const halfway = cookieOf(password.headers['set-cookie'], 'console')!
    const factorPage = await app.inject({ method: 'GET', url: '/console/second-factor', headers: { cookie: halfway } })
    const csrf = hiddenField(factorPage.body, '_csrf')!
    const right = totpCode(staff.secret, ports.clock.now())
    const statuses = []
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await app.inject({
            method: 'POST',
            url: '/console/second-factor',
            remoteAddress: network(i),
            ...withCookie(form({ code: wrongCode(right), _csrf: csrf }), halfway)
          })
        ).statusCode
      )
    }
    t.same(statuses, [401, 401, 401, 401, 401, 429, 429], 'a new address gives the session no more tries')
  }
)

t.test('2. a stranger cannot swap the member\'s live code for one of theirs', async (t) => {
  const { app, ports } = await buildTestApp(t, {}, { limits: LIMITS_ON })
  const member = await approvedMember(app)
  t.equal((await requestCode(app, member.mobile, MEMBER)).statusCode, 200)
  const code = ports.sms.lastCodeSentTo(e164(member.mobile))!
  ports.clock.advance(61_000) // past the resend cooldown
  const swapped = await requestCode(app, member.mobile, '203.0.113.9')
  t.equal(swapped.statusCode, 429, 'a request from another network waits while the member\'s code lives')
  t.ok(Number(swapped.headers['retry-after']) <= TEST_SETTINGS.otp.ttlSeconds, 'at most its life')
  t.equal(ports.sms.sent.filter((text) => text.to === e164(member.mobile)).length, 1, 'and no text went out')
  t.equal((await tryCode(app, member.mobile, code, MEMBER)).statusCode, 200, 'the member\'s code still signs them in')
})
