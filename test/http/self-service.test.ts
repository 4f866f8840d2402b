import t from 'tap'
import type { PhoneNumber } from '../../src/domain/user.js'
import { TEST_PHONE, TEST_PHONE_CODE, buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { approvedMember, freshMobile } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

type Built = Awaited<ReturnType<typeof buildTestApp>>
const e164 = (national: string) => ('+82' + national.slice(1)) as PhoneNumber
const login = (app: Built['app'], email: string, password: string) =>
  app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })
const me = (app: Built['app'], token: string) => app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })

/** A phone member signed in through the code: their access token. */
async function phoneSession ({ app, ports }: Built) {
  const member = await approvedMember(app)
  await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
  const res = await app.inject({
    method: 'POST',
    url: '/api/token/',
    payload: { mobile: member.mobile, token: ports.sms.lastCodeSentTo(e164(member.mobile)) }
  })
  return { ...member, access: res.json().access as string, refresh: res.json().refresh as string }
}

t.test('forgot → mailed code → reset: every old token ends, the new password works', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const { email, token } = await registerAndLogin(app)
  const forgot = await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })
  t.equal(forgot.statusCode, 202)
  const unknown = await app.inject({
    method: 'POST',
    url: '/auth/password/forgot',
    payload: { email: `nobody-${uniqueSuffix()}@example.com` }
  })
  t.same(
    [unknown.statusCode, unknown.json()],
    [forgot.statusCode, forgot.json()],
    'an unknown address gets the very same answer'
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'not an email' } })).statusCode,
    202
  )
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(ports.mail.sent.length, 1, 'only the account got mail')
  const code = ports.mail.lastCodeSentTo(email)!
  t.match(code, /^\d{6}$/)
  t.match(ports.mail.lastSentTo(email)!.html, code)

  const reset = (fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { email, code, new_password: 'a brand new password', ...fields }
    })
  t.same((await reset({ new_password: 'short' })).json().code, 'INVALID_INPUT', 'a short password, the code not spent')
  const wrong = await reset({ code: code === '000000' ? '111111' : '000000' })
  t.same([wrong.statusCode, wrong.json().code], [400, 'INVALID_CODE'])
  const done = await reset({})
  t.same([done.statusCode, done.json()], [200, { message: 'Password has been reset' }])
  t.same((await reset({})).json().code, 'CODE_EXPIRED', 'the code works once')
  t.equal((await me(app, token)).statusCode, 401, 'the old token ended')
  t.equal((await login(app, email, 'correct horse battery')).statusCode, 401, 'the old password ended')
  t.equal((await login(app, email, 'a brand new password')).statusCode, 200)
  t.ok((await ports.audit.list({ limit: 50 })).some((entry) => entry.action === 'member.password_reset'))
  t.ok((await ports.accounts.findByEmail(email))?.emailVerifiedAt, 'the mailed code proved the address')
})

t.test('reset: five wrong codes void it (429); none asked: CODE_EXPIRED', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email } = await registerAndLogin(app)
  const none = await app.inject({
    method: 'POST',
    url: '/auth/password/reset',
    payload: { email, code: '123456', new_password: 'a brand new password' }
  })
  t.same([none.statusCode, none.json().code], [400, 'CODE_EXPIRED'])
  await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })
  await new Promise((resolve) => setImmediate(resolve))
  const code = ports.mail.lastCodeSentTo(email)!
  const other = code === '000000' ? '111111' : '000000'
  const answers = []
  for (let i = 0; i < 5; i++) {
    answers.push(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/password/reset',
          payload: { email, code: other, new_password: 'a brand new password' }
        })
      ).statusCode
    )
  }
  t.same(answers, [400, 400, 400, 400, 429])
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/auth/password/reset',
        payload: { email, code, new_password: 'a brand new password' }
      })
    ).statusCode,
    429,
    'the right code is void too: ask for a new one'
  )
})

t.test('change password: the current one proves it; a fresh token, every earlier one ends', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email, token } = await registerAndLogin(app)
  const wrong = await app.inject({
    method: 'POST',
    url: '/auth/password/change',
    headers: bearer(token),
    payload: { current_password: 'not it at all', new_password: 'another password' }
  })
  t.same([wrong.statusCode, wrong.json().code], [401, 'INVALID_CREDENTIALS'])
  const changed = await app.inject({
    method: 'POST',
    url: '/auth/password/change',
    headers: bearer(token),
    payload: { current_password: 'correct horse battery', new_password: 'another password' }
  })
  t.equal(changed.statusCode, 200)
  t.equal(changed.json().token_type, 'bearer')
  // The test clock stands still, so the fresh token is dated 1 ms past the cutoff it follows; with
  // no leeway (as here) it counts from that millisecond. A real clock has moved on by then.
  ports.clock.advance(1)
  t.equal((await me(app, changed.json().access_token)).statusCode, 200, 'the fresh token works')
  t.equal((await me(app, token)).statusCode, 401, 'the earlier one ended')
  t.equal((await login(app, email, 'another password')).statusCode, 200)
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/auth/password/change',
        payload: { current_password: 'x', new_password: 'y' }
      })
    ).statusCode,
    401,
    'no token'
  )
})

t.test(
  'EMAIL_VERIFICATION=required: an unverified login is 403 with a fresh code; proving the address lets it in',
  async t => {
    const { app, ports } = await buildTestApp(t, {}, { emailVerification: 'required' })
    const email = `v-${uniqueSuffix()}@example.com`
    await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: 'correct horse battery' } })
    const refused = await login(app, email, 'correct horse battery')
    t.same([refused.statusCode, refused.json().code], [403, 'EMAIL_NOT_VERIFIED'])
    t.match(ports.mail.lastCodeSentTo(email), /^\d{6}$/, 'the refusal mailed a code')
    t.equal(
      (await login(app, email, 'wrong password!')).json().code,
      'INVALID_CREDENTIALS',
      'a wrong password is still just wrong'
    )
    // Without a token the member names the address with the mailed code.
    const code = ports.mail.lastCodeSentTo(email)!
    const wrong = await app.inject({
      method: 'POST',
      url: '/auth/email/verify',
      payload: { email, code: code === '000000' ? '111111' : '000000' }
    })
    t.same([wrong.statusCode, wrong.json().code], [400, 'INVALID_CODE'])
    t.equal(
      (await app.inject({ method: 'POST', url: '/auth/email/verify', payload: { code } })).statusCode,
      401,
      'neither a token nor an address'
    )
    t.equal((await app.inject({ method: 'POST', url: '/auth/email/verify', payload: { email, code } })).statusCode, 200)
    t.equal((await login(app, email, 'correct horse battery')).statusCode, 200, 'verified: signed in')
  }
)

t.test('email verification (optional mode) and a phone member adding an email, then signing in by email', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const { email, token } = await registerAndLogin(app)
  t.equal(
    (await app.inject({ method: 'POST', url: '/auth/email/verify/request', headers: bearer(token) })).statusCode,
    202
  )
  const code = ports.mail.lastCodeSentTo(email)!
  const wrong = await app.inject({
    method: 'POST',
    url: '/auth/email/verify',
    headers: bearer(token),
    payload: { code: code === '000000' ? '111111' : '000000' }
  })
  t.same([wrong.statusCode, wrong.json().code], [400, 'INVALID_CODE'])
  t.equal(
    (await app.inject({ method: 'POST', url: '/auth/email/verify', headers: bearer(token), payload: { code } }))
      .statusCode,
    200
  )
  t.ok((await ports.accounts.findByEmail(email))?.emailVerifiedAt, 'verified')

  const phone = await phoneSession(built)
  const added = `added-${uniqueSuffix()}@example.com`
  const taken = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(phone.access),
    payload: { email, password: 'phone member password' }
  })
  t.same([taken.statusCode, taken.json().code], [400, 'EMAIL_EXISTS'])
  const short = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(phone.access),
    payload: { email: added, password: 'short' }
  })
  t.equal(short.statusCode, 400)
  const put = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(phone.access),
    payload: { email: added, password: 'phone member password' }
  })
  t.equal(put.statusCode, 202)
  t.equal((await login(app, added, 'phone member password')).statusCode, 401, 'nothing changes before the code')
  const verified = await app.inject({
    method: 'POST',
    url: '/auth/email/verify',
    headers: bearer(phone.access),
    payload: { code: ports.mail.lastCodeSentTo(added)! }
  })
  t.equal(verified.statusCode, 200)
  const byEmail = await login(app, added, 'phone member password')
  t.equal(byEmail.statusCode, 200, 'the phone member signs in through the email door')
  const account = await me(app, byEmail.json().access_token)
  t.same([account.json().email, account.json().mobile], [added, e164(phone.mobile)], 'one identity behind both doors')

  const moved = `moved-${uniqueSuffix()}@example.com`
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: '/auth/email',
        headers: bearer(token),
        payload: { email: moved, password: 'wrong password' }
      })
    ).statusCode,
    401,
    'a change needs the current password'
  )
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: '/auth/email',
        headers: bearer(token),
        payload: { email: moved, password: 'correct horse battery' }
      })
    ).statusCode,
    202
  )
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/auth/email/verify',
        headers: bearer(token),
        payload: { code: ports.mail.lastCodeSentTo(moved)! }
      })
    ).statusCode,
    200
  )
  t.match(ports.mail.lastSentTo(email)?.text, /m\*+@example\.com|moved/, 'the old address is told')
  t.equal((await login(app, moved, 'correct horse battery')).statusCode, 200)
  t.equal((await login(app, email, 'correct horse battery')).statusCode, 401)
})

t.test('an email member adds a number, verifies it, then signs in by code; a held number is refused', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const { email, token } = await registerAndLogin(app)
  const unproven = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(token),
    payload: { mobile: freshMobile() }
  })
  t.same(
    [unproven.statusCode, unproven.json().code],
    [403, 'email_not_verified'],
    'an address nobody proved gains no number'
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/auth/email/verify/request', headers: bearer(token) })).statusCode,
    202
  )
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/auth/email/verify',
        headers: bearer(token),
        payload: { code: ports.mail.lastCodeSentTo(email)! }
      })
    ).statusCode,
    200,
    'the member proves the address'
  )
  const holder = await phoneSession(built)
  const held = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(token),
    payload: { mobile: holder.mobile }
  })
  t.same([held.statusCode, Object.keys(held.json())], [400, ['mobile']])

  const mobile = freshMobile()
  const asked = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(token),
    payload: { mobile }
  })
  t.same([asked.statusCode, asked.json()], [200, { detail: 'We texted a code to the new number.' }])
  const code = ports.sms.lastCodeSentTo(e164(mobile))!
  const wrong = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/verify/',
    headers: bearer(token),
    payload: { mobile, token: code === '000000' ? '111111' : '000000' }
  })
  t.same(
    [wrong.statusCode, wrong.json().code],
    [401, 'invalid_otp'],
    "a wrong SMS code in the phone door's words, as at sign-in"
  )
  const verified = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/verify/',
    headers: bearer(token),
    payload: { mobile, token: code }
  })
  t.equal(verified.statusCode, 200)
  t.equal(verified.json().status, 'approved', 'an email member is approved already')

  t.equal((await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile } })).statusCode, 200)
  const session = await app.inject({
    method: 'POST',
    url: '/api/token/',
    payload: { mobile, token: ports.sms.lastCodeSentTo(e164(mobile)) }
  })
  t.equal(session.statusCode, 200, 'the email member signs in through the phone door')

  const changed = freshMobile()
  await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(holder.access),
    payload: { mobile: changed }
  })
  const moved = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/verify/',
    headers: bearer(holder.access),
    payload: { mobile: changed, token: ports.sms.lastCodeSentTo(e164(changed)) }
  })
  t.equal(moved.statusCode, 200)
  t.notMatch(
    ports.sms.sent.findLast(text => text.to === e164(holder.mobile))?.body,
    /\d{6}/,
    'the old number got a notice, not a code'
  )
  t.equal(
    (await ports.accounts.findByMobile(e164(changed)))?.id,
    (await ports.accounts.findByMobile(e164(changed)))?.id
  )
  t.equal(await ports.accounts.findByMobile(e164(holder.mobile)), null, 'the old number is free')

  const fixed = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(session.json().access),
    payload: { mobile: TEST_PHONE }
  })
  t.equal(fixed.statusCode, 200)
  const byFixed = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/verify/',
    headers: bearer(session.json().access),
    payload: { mobile: TEST_PHONE, token: TEST_PHONE_CODE }
  })
  t.equal(byFixed.statusCode, 200, 'an SMS_TEST_OTP number takes its fixed code here too')
})

t.test('EMAIL_VERIFICATION=off: the verify routes are 404 and a change applies at once', async (t) => {
  const { app, ports } = await buildTestApp(t, {}, { emailVerification: 'off' })
  const { email, token } = await registerAndLogin(app)
  t.equal(
    (await app.inject({ method: 'POST', url: '/auth/email/verify/request', headers: bearer(token) })).statusCode,
    404
  )
  const moved = `off-${uniqueSuffix()}@example.com`
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: '/auth/email',
        headers: bearer(token),
        payload: { email: moved, password: 'correct horse battery' }
      })
    ).statusCode,
    202
  )
  t.equal((await login(app, moved, 'correct horse battery')).statusCode, 200)
  t.ok(ports.mail.lastSentTo(email), 'the old address is told')
})

t.test(
  'sessions: every sign-in listed with its device; one ended (its tokens refused); the others ended at once',
  async t => {
    const built = await buildTestApp(t)
    const { app, ports } = built
    const { email, password, token: first } = await registerAndLogin(app)
    ports.clock.advance(1000)
    const second = (
      await app.inject({
        method: 'POST',
        url: '/auth/login/json',
        payload: { email, password },
        headers: { 'user-agent': 'EmailApp/3.1 (Android 15)' }
      })
    ).json().access_token
    const listed = await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(second) })
    t.equal(listed.statusCode, 200)
    const sessions = listed.json().sessions
    t.equal(sessions.length, 2)
    t.same(
      sessions.map((session: { current: boolean }) => session.current),
      [true, false],
      "newest first, the caller's marked"
    )
    t.equal(sessions[0].device, 'EmailApp/3.1 (Android 15)')
    t.same(Object.keys(sessions[0]).sort(), ['created_at', 'current', 'device', 'id', 'ip', 'last_used_at'])

    t.equal(
      (await app.inject({ method: 'DELETE', url: `/auth/sessions/${sessions[1].id}`, headers: bearer(second) }))
        .statusCode,
      200
    )
    t.equal((await me(app, first)).statusCode, 401, "the ended session's token is refused")
    t.equal((await me(app, second)).statusCode, 200, "the caller's still works")
    t.equal(
      (await app.inject({ method: 'DELETE', url: `/auth/sessions/${sessions[1].id}`, headers: bearer(second) }))
        .statusCode,
      404
    )

    // A phone sign-in of another member: its session is not this member's to end.
    const phone = await phoneSession(built)
    const phoneList = (await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(phone.access) })).json()
      .sessions
    t.equal(
      (await app.inject({ method: 'DELETE', url: `/auth/sessions/${phoneList[0].id}`, headers: bearer(second) }))
        .statusCode,
      404
    )
    // The phone member ends their own session by id: the refresh token goes with it.
    ports.clock.advance(1000)
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: phone.refresh } }))
        .statusCode,
      200
    )
    const phoneCurrent = phoneList.find((session: { current: boolean }) => session.current)
    t.equal(
      (await app.inject({ method: 'DELETE', url: `/auth/sessions/${phoneCurrent.id}`, headers: bearer(phone.access) }))
        .statusCode,
      200
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: phone.refresh } }))
        .statusCode,
      401,
      'the refresh token is refused'
    )

    const third = (await login(app, email, password)).json().access_token
    const others = await app.inject({ method: 'POST', url: '/auth/logout?scope=others', headers: bearer(third) })
    t.equal(others.statusCode, 200)
    t.equal((await me(app, second)).statusCode, 401, 'every other session ended')
    t.equal((await me(app, third)).statusCode, 200, "but the caller's")
    t.same(
      (await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(third) })).json().sessions.length,
      1
    )
    await app.inject({ method: 'POST', url: '/auth/logout?scope=all', headers: bearer(third) })
    t.same(
      await ports.sessions.list((await ports.accounts.findByEmail(email))!.id, ports.clock.now()),
      [],
      'signing out everywhere forgets them all'
    )
  }
)
