import { setImmediate as settle } from 'node:timers/promises'
import t from 'tap'
import type { PhoneNumber } from '../../src/domain/user.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { freshMobile } from '../helpers/phone-flows.js'

// Account pre-hijacking: someone signs up with another person's address and waits.
const e164 = (mobile: string) => `+82${mobile.slice(1)}` as PhoneNumber

t.test('an account whose address nobody proved gains no number', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const squatter = await registerAndLogin(app, { email: 'victim-1@example.com' })
  const mobile = freshMobile()
  const asked = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(squatter.token),
    payload: { mobile }
  })
  t.same(
    [asked.statusCode, asked.json()],
    [403, { detail: '이메일 인증이 필요합니다. 메일로 보낸 코드를 확인해주세요.', code: 'email_not_verified' }]
  )
  const verify = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/verify/',
    headers: bearer(squatter.token),
    payload: { mobile, token: '123456' }
  })
  t.equal(verify.statusCode, 403, 'nor can it prove one')
  t.equal(ports.sms.sent.length, 0, 'no text went out')
})

t.test(
  "the owner proves the address by a reset: the squatter's number, waiting address and sessions go, " +
    'and the owner is told',
  async t => {
    const { app, ports } = await buildTestApp(t)
    const email = 'victim-2@example.com'
    const squatter = await registerAndLogin(app, { email })
    const user = (await ports.accounts.findByEmail(email))!
    // A number attached before the rule held (or under EMAIL_VERIFICATION=off, later switched on).
    const squattersPhone = freshMobile()
    await ports.accounts.setMobile(user.id, e164(squattersPhone))
    await ports.emailChanges.stageEmail(user.id, 'squatter-2@example.net', null)
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: squattersPhone } })).statusCode,
      200,
      'before: the squatter signs in by SMS'
    )

    t.equal((await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })).statusCode, 202)
    await settle()
    const code = ports.mail.lastCodeSentTo(email)!
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/password/reset',
          payload: { email, code, new_password: 'the owner password 1' }
        })
      ).statusCode,
      200
    )

    const refused = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: squattersPhone } })
    t.same([refused.statusCode, refused.json().code], [404, 'not_found'], "the squatter's number is refused")
    t.equal(
      (await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(squatter.token) })).statusCode,
      401,
      "the squatter's session ended"
    )
    t.equal(await ports.emailChanges.findPendingEmail(user.id), null, 'the waiting address change is gone')
    const notice = ports.mail.lastSentTo(email)!
    t.match(notice.subject, /로그인 수단이 삭제되었습니다/)
    t.match(
      notice.text,
      new RegExp(`끝자리 ${squattersPhone.slice(-4)}`),
      'the owner is told which number went (its last four digits)'
    )
    t.match(notice.text, /s\*\*\*@example\.net/, 'and which address change, masked')
    t.notMatch(notice.text, /\d{6}/, 'no code in the notice')
    const entries = await ports.audit.list({ memberId: user.id, limit: 50 })
    t.ok(
      entries.some(entry => entry.action === 'member.sign_in_methods_removed'),
      'the trail records it'
    )

    ports.clock.advance(1000) // a sign-in after the reset's cutoff
    const owner = await app.inject({
      method: 'POST',
      url: '/auth/login/json',
      payload: { email, password: 'the owner password 1' }
    })
    t.equal(owner.statusCode, 200, 'the owner signs in')
    const mobile = freshMobile()
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/users/me/mobile/',
          headers: bearer(owner.json().access_token),
          payload: { mobile }
        })
      ).statusCode,
      200,
      'and, the address proven, adds their own number'
    )
  }
)

t.test('a reset of a proven address removes nothing', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email, token } = await registerAndLogin(app)
  await app.inject({ method: 'POST', url: '/auth/email/verify/request', headers: bearer(token) })
  await app.inject({
    method: 'POST',
    url: '/auth/email/verify',
    headers: bearer(token),
    payload: { code: ports.mail.lastCodeSentTo(email)! }
  })
  const mobile = freshMobile()
  await app.inject({ method: 'POST', url: '/api/users/me/mobile/', headers: bearer(token), payload: { mobile } })
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/users/me/mobile/verify/',
        headers: bearer(token),
        payload: { mobile, token: ports.sms.lastCodeSentTo(e164(mobile))! }
      })
    ).statusCode,
    200
  )
  await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })
  await settle()
  const sent = ports.mail.sent.length
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/auth/password/reset',
        payload: { email, code: ports.mail.lastCodeSentTo(email)!, new_password: 'another password 1' }
      })
    ).statusCode,
    200
  )
  t.equal((await ports.accounts.findByEmail(email))?.mobile, e164(mobile), 'the member\'s own number stays')
  t.equal(ports.mail.sent.length, sent, 'no removal notice')
})
