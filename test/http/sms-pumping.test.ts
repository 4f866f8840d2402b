import t from 'tap'
import { TEST_SETTINGS, buildTestApp } from '../helpers/build-test-app.js'
import { approvedMember, freshMobile } from '../helpers/phone-flows.js'

const requestCode = (app: Awaited<ReturnType<typeof buildTestApp>>['app'], mobile: string) =>
  app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile } })

t.test('codes are texted only to numbers of SMS_ALLOWED_COUNTRIES', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const res = await requestCode(app, '+447911123456') // a valid UK mobile
  t.equal(res.statusCode, 400)
  t.same(res.json(), { mobile: ['인증번호를 보낼 수 없는 국가의 번호입니다.'] })
  t.equal(ports.sms.sent.length, 0)
})

t.test('a daily cap per number and address, and a global hourly cap, on codes texted', async (t) => {
  const otp = { ...TEST_SETTINGS.otp, resendCooldownSeconds: 0 }
  const limits = { ...TEST_SETTINGS.limits, sms: { perAddressDaily: 2, perNumberDaily: 10, hourly: 3 } }
  const { app, ports } = await buildTestApp(t, {}, { otp, limits })
  const member = await approvedMember(app)
  t.equal((await requestCode(app, member.mobile)).statusCode, 200)
  t.equal((await requestCode(app, member.mobile)).statusCode, 200)
  const capped = await requestCode(app, member.mobile)
  t.equal(capped.statusCode, 429, 'the third code of the day')
  t.equal(capped.json().code, 'throttled')
  t.ok(
    Number(capped.headers['retry-after']) > 3600,
    "Retry-After: until the day's bucket has drained one code (12 h for two a day)"
  )
  t.equal(ports.sms.sent.length, 2, 'no text sent past the cap')

  const other = await approvedMember(app)
  t.equal((await requestCode(app, other.mobile)).statusCode, 200, 'the third code this hour')
  t.equal((await requestCode(app, other.mobile)).statusCode, 429, 'the fourth: the hourly cap for everyone')
  ports.clock.advance(3_600_000)
  const third = await approvedMember(app)
  t.equal((await requestCode(app, third.mobile)).statusCode, 200, 'a new hour')
  t.equal(
    (await requestCode(app, other.mobile)).statusCode,
    200,
    'a refused request counted nothing: the second code of the day'
  )
  t.equal((await requestCode(app, other.mobile)).statusCode, 429, 'and the third is over the daily cap')
})

t.test('OTP_HIDE_UNKNOWN_NUMBERS: unknown numbers get the members\' 200 and no SMS', async (t) => {
  const { app: seedApp } = await buildTestApp(t)
  t.equal((await requestCode(seedApp, freshMobile())).statusCode, 404, 'default: seed 1\'s 404')
  const { app, ports } = await buildTestApp(t, {}, { otp: { ...TEST_SETTINGS.otp, hideUnknownNumbers: true } })
  const unknown = await requestCode(app, freshMobile())
  const member = await approvedMember(app)
  const known = await requestCode(app, member.mobile)
  t.equal(unknown.statusCode, 200)
  t.same(unknown.json(), known.json(), 'the same answer')
  t.equal(ports.sms.sent.length, 1, 'only the member got a text')
})
