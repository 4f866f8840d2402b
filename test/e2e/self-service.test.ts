import t, { type Test } from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { admin, freshMobile, registration } from '../helpers/phone-flows.js'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'
import { startTestSmtpServer, type ReceivedMail } from '../helpers/test-smtp-server.js'

const MAIL_FROM = 'Mobile Auth <no-reply@auth.example.net>'
const PASSWORD = 'e2e password 123'

type Service = Awaited<ReturnType<typeof startServiceOnPostgresAndRedis>>
type Smtp = Awaited<ReturnType<typeof startTestSmtpServer>>

/**
 * The service as production composes it (PostgreSQL, Redis, mail over SMTP to a real server of
 * this test's own, SMS to the log), with helpers that read codes where a member would: the mail
 * the SMTP server received, the `sms.sent` lines of the embedded SMS sender.
 */
async function selfServiceOn (t: Test, env: Record<string, string> = {}) {
  const smtp = await startTestSmtpServer(t)
  const service = await startServiceOnPostgresAndRedis(t, {
    ADMIN_API_KEY: ADMIN_KEY,
    SMTP_URL: smtp.url,
    MAIL_FROM,
    ...env
  })
  return { ...service, smtp, ...readers(service, smtp) }
}

function readers ({ call, logs }: Service, smtp: Smtp) {
  /**
   * The first mail to `address` among those received after the first `since`; waits up to 10 s (a forgot-password mail
   * leaves after its 202).
   */
  async function mailTo (address: string, since: number): Promise<ReceivedMail> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const found = smtp.received.slice(since).find(mail => mail.envelope.to.includes(address))
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error(`no mail reached ${address} within 10 s`)
      await Promise.race([smtp.waitFor(smtp.received.length + 1), new Promise(resolve => setTimeout(resolve, 100))])
    }
  }
  /** The code of a code mail: six digits alone on their line of the plain text, also in the HTML part. */
  const codeIn = (mail: ReceivedMail): string => /^(\d{6})$/m.exec(mail.parsed.text ?? '')?.[1] ?? ''
  /** The embedded SMS sender writes each text to the log; the last code texted to the number. */
  const codeTextedTo = (e164: string): string => {
    const line = logs.lines
      .map(text => JSON.parse(text))
      .findLast(entry => entry.msg === 'sms.sent' && entry.to === e164)
    return /\d{6}/.exec(line?.text ?? '')?.[0] ?? ''
  }
  const login = (email: string, password: string) => call('POST', '/auth/login/json', { body: { email, password } })
  /** A fresh email member (registered, not signed in): the address. */
  async function emailMember () {
    const email = `self-${uniqueSuffix()}@example.com`
    const registered = await call('POST', '/auth/register', { body: { email, password: PASSWORD } })
    if (registered.status !== 200) {
      throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`)
    }
    return { email }
  }
  return { mailTo, codeIn, codeTextedTo, login, emailMember }
}

const otherThan = (code: string): string => code === '000000' ? '111111' : '000000'

t.test('member self-service on PostgreSQL + Redis + SMTP', { skip: noPg || noRedis }, async (t) => {
  const { call, smtp, mailTo, codeIn, codeTextedTo, login, emailMember, logs } = await selfServiceOn(t)

  t.test(
    '(a) forgot -> mailed code -> reset -> the old token and the spent code refused -> only the new password works',
    async t => {
      const { email } = await emailMember()
      const old = await login(email, PASSWORD)
      t.equal(old.status, 200)
      const nobody = `nobody-${uniqueSuffix()}@example.com`

      const since = smtp.received.length
      const unknown = await call('POST', '/auth/password/forgot', { body: { email: nobody } })
      const known = await call('POST', '/auth/password/forgot', { body: { email } })
      t.same(
        [known.status, known.body],
        [202, { message: 'If the address belongs to an account, a code is on its way.' }]
      )
      t.same([unknown.status, unknown.body], [known.status, known.body], 'an unknown address gets the very same answer')

      const mail = await mailTo(email, since)
      const code = codeIn(mail)
      t.match(code, /^\d{6}$/, 'the code, alone on its line')
      t.match(mail.parsed.html, code, 'the HTML part carries it too')
      t.equal(mail.parsed.from?.value[0]?.address, 'no-reply@auth.example.net', 'From is MAIL_FROM')
      t.same(mail.envelope.to, [email])

      const reset = (fields: Record<string, string>) =>
        call('POST', '/auth/password/reset', { body: { email, code, new_password: 'a brand new password', ...fields } })
      const wrong = await reset({ code: otherThan(code) })
      t.same([wrong.status, wrong.body.code], [400, 'INVALID_CODE'])
      const done = await reset({})
      t.same([done.status, done.body], [200, { message: 'Password has been reset' }])
      const again = await reset({})
      t.same([again.status, again.body.code], [400, 'CODE_EXPIRED'], 'the code works once')

      const refused = await call('GET', '/auth/me', { token: old.body.access_token })
      t.same([refused.status, refused.body.code], [401, 'INVALID_TOKEN'], 'the token from before the reset ended')
      t.equal((await login(email, PASSWORD)).status, 401, 'the old password ended')
      const fresh = await login(email, 'a brand new password')
      t.equal(fresh.status, 200, 'the new password works')
      t.equal((await call('GET', '/auth/me', { token: fresh.body.access_token })).body.email, email)

      const outcomes = async () => {
        for (let waited = 0; waited < 5000; waited += 50) {
          const found = logs.lines
            .map(text => JSON.parse(text))
            .filter(entry => entry.event === 'password.forgot')
            .map(entry => entry.outcome)
          if (found.length === 2) return found.sort()
          await new Promise(resolve => setTimeout(resolve, 50))
        }
        return []
      }
      t.same(
        await outcomes(),
        ['ignored', 'sent'],
        'both asks were handled after their 202, the unknown one sending nothing'
      )
      t.notOk(
        smtp.received.some(received => received.envelope.to.includes(nobody)),
        'no mail for the address without an account'
      )
      t.notOk(
        logs.lines.some(text => JSON.parse(text).msg === 'email.sent'),
        'mail went by SMTP, never to the log'
      )
    }
  )

  t.test(
    '(b) a phone member adds an email, proves it with the mailed code, then signs in through the email door',
    async t => {
      const body = registration()
      const e164 = '+82' + body.mobile.slice(1)
      const signup = await call('POST', '/api/registration/', { body })
      t.equal(signup.status, 201)
      t.equal((await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
      t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
      const session = await call('POST', '/api/token/', { body: { mobile: e164, token: codeTextedTo(e164) } })
      t.equal(session.status, 200)
      const access = session.body.access

      const email = `added-${uniqueSuffix()}@example.com`
      const since = smtp.received.length
      const put = await call('PUT', '/auth/email', {
        token: access,
        body: { email, password: 'phone member password' }
      })
      t.same([put.status, put.body], [202, { message: 'We mailed a code to the new address' }])
      const code = codeIn(await mailTo(email, since))
      t.match(code, /^\d{6}$/)
      t.equal((await login(email, 'phone member password')).status, 401, 'nothing changes before the code comes back')

      const wrong = await call('POST', '/auth/email/verify', { token: access, body: { code: otherThan(code) } })
      t.same([wrong.status, wrong.body.code], [400, 'INVALID_CODE'])
      const verified = await call('POST', '/auth/email/verify', { token: access, body: { code } })
      t.same([verified.status, verified.body], [200, { message: 'Email verified' }])

      const byEmail = await login(email, 'phone member password')
      t.equal(byEmail.status, 200, 'the phone member signs in through the email door')
      const me = await call('GET', '/auth/me', { token: byEmail.body.access_token })
      t.same(
        [me.body.uuid, me.body.email, me.body.mobile],
        [signup.body.user.uuid, email, e164],
        'one identity behind both doors'
      )
      t.equal((await call('GET', '/api/users/me/', { token: access })).status, 200, 'the phone sign-in goes on')
    }
  )

  t.test('(c) an email member adds a number, proves it with the texted code, then signs in by code', async (t) => {
    const { email } = await emailMember()
    const token = (await login(email, PASSWORD)).body.access_token
    const mobile = freshMobile()
    const e164 = '+82' + mobile.slice(1)

    const unproven = await call('POST', '/api/users/me/mobile/', { token, body: { mobile } })
    t.same(
      [unproven.status, unproven.body.code],
      [403, 'email_not_verified'],
      'an address nobody proved gains no number'
    )
    const since = smtp.received.length
    t.equal((await call('POST', '/auth/email/verify/request', { token })).status, 202)
    t.equal(
      (await call('POST', '/auth/email/verify', { token, body: { code: codeIn(await mailTo(email, since)) } })).status,
      200,
      'the member proves the address'
    )

    const asked = await call('POST', '/api/users/me/mobile/', { token, body: { mobile } })
    t.same([asked.status, asked.body], [200, { detail: 'We texted a code to the new number.' }])
    const code = codeTextedTo(e164)
    t.match(code, /^\d{6}$/)
    const wrong = await call('POST', '/api/users/me/mobile/verify/', {
      token,
      body: { mobile, token: otherThan(code) }
    })
    t.same([wrong.status, wrong.body.code], [401, 'invalid_otp'], 'the phone door\'s words for a wrong SMS code')
    const verified = await call('POST', '/api/users/me/mobile/verify/', { token, body: { mobile, token: code } })
    t.equal(verified.status, 200)
    t.equal(verified.body.status, 'approved', 'an email member is approved already')

    t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile } })).status, 200)
    const signInCode = codeTextedTo(e164)
    t.not(signInCode, code, 'a new code for the sign-in')
    const session = await call('POST', '/api/token/', { body: { mobile: e164, token: signInCode } })
    t.equal(session.status, 200, 'the email member signs in through the phone door')
    const me = await call('GET', '/auth/me', { token: session.body.access })
    t.same([me.body.email, me.body.mobile], [email, e164], 'one identity behind both doors')
  })

  t.test('(d) a password change answers a fresh token and ends every earlier one', async (t) => {
    const { email } = await emailMember()
    const first = (await login(email, PASSWORD)).body.access_token
    const second = (await login(email, PASSWORD)).body.access_token

    const wrong = await call('POST', '/auth/password/change', {
      token: first,
      body: { current_password: 'not the password', new_password: 'another password' }
    })
    t.same([wrong.status, wrong.body.code], [401, 'INVALID_CREDENTIALS'])
    const changed = await call('POST', '/auth/password/change', {
      token: first,
      body: { current_password: PASSWORD, new_password: 'another password' }
    })
    t.equal(changed.status, 200)
    t.same(Object.keys(changed.body).sort(), ['access_token', 'token_type'])
    t.equal(changed.body.token_type, 'bearer')

    t.equal((await call('GET', '/auth/me', { token: changed.body.access_token })).status, 200, 'the fresh token works')
    for (const earlier of [first, second]) {
      const refused = await call('GET', '/auth/me', { token: earlier })
      t.same([refused.status, refused.body.code], [401, 'INVALID_TOKEN'], 'an earlier token ended')
    }
    t.equal((await login(email, PASSWORD)).status, 401, 'the old password ended')
    t.equal((await login(email, 'another password')).status, 200)
  })

  t.test(
    '(f) two sessions of a phone member listed, one ended: its refresh token is refused on every instance',
    async t => {
      const { email } = await emailMember()
      const mailToken = (await login(email, PASSWORD)).body.access_token
      const mobile = freshMobile()
      const e164 = '+82' + mobile.slice(1)
      // An address nobody proved gains no number: the member proves it first.
      const since = smtp.received.length
      await call('POST', '/auth/email/verify/request', { token: mailToken })
      t.equal(
        (
          await call('POST', '/auth/email/verify', {
            token: mailToken,
            body: { code: codeIn(await mailTo(email, since)) }
          })
        ).status,
        200
      )
      await call('POST', '/api/users/me/mobile/', { token: mailToken, body: { mobile } })
      t.equal(
        (
          await call('POST', '/api/users/me/mobile/verify/', {
            token: mailToken,
            body: { mobile, token: codeTextedTo(e164) }
          })
        ).status,
        200
      )
      await call('POST', '/api/auth/mobile/', { body: { mobile } })
      const phone = (
        await call('POST', '/api/token/', {
          body: { mobile: e164, token: codeTextedTo(e164) },
          headers: { 'user-agent': 'PhoneApp/2.3 (iPhone)' }
        })
      ).body

      const listed = await call('GET', '/auth/sessions', { token: phone.access })
      t.equal(listed.status, 200)
      t.equal(listed.body.sessions.length, 2, 'the email sign-in and the phone sign-in')
      const current = listed.body.sessions.find((session: { current: boolean }) => session.current)
      t.equal(current.device, 'PhoneApp/2.3 (iPhone)')
      const other = listed.body.sessions.find((session: { current: boolean }) => !session.current)
      t.equal((await call('DELETE', `/auth/sessions/${other.id}`, { token: phone.access })).status, 200)
      t.equal((await call('GET', '/auth/me', { token: mailToken })).status, 401, "the ended session's token is refused")

      t.equal(
        (await call('DELETE', `/auth/sessions/${current.id}`, { token: mailToken })).status,
        401,
        'an ended token cannot end anything'
      )
      t.equal((await call('DELETE', `/auth/sessions/${current.id}`, { token: phone.access })).status, 200)
      const refreshed = await call('POST', '/api/token/refresh/', { body: { refresh: phone.refresh } })
      t.equal(refreshed.status, 401, 'its refresh token is refused')
    }
  )

  t.test(
    "(g) a number moved: the old number's notice carries an undo code that puts it back and ends every session",
    async t => {
      const body = registration()
      const old = '+82' + body.mobile.slice(1)
      const signup = await call('POST', '/api/registration/', { body })
      t.equal((await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
      // The sign-up is a sign-in of a moment ago: recent enough to move the number.
      const access = signup.body.access
      const mobile = freshMobile()
      const moved = '+82' + mobile.slice(1)
      t.equal((await call('POST', '/api/users/me/mobile/', { token: access, body: { mobile } })).status, 200)
      t.equal(
        (
          await call('POST', '/api/users/me/mobile/verify/', {
            token: access,
            body: { mobile, token: codeTextedTo(moved) }
          })
        ).status,
        200
      )
      t.equal(
        (await call('POST', '/api/auth/mobile/', { body: { mobile: old } })).status,
        404,
        "the old number is no longer the account's"
      )

      const notice = logs.lines
        .map(text => JSON.parse(text))
        .findLast(entry => entry.msg === 'sms.sent' && entry.to === old)
      const code = /\b([0-9A-Z]{5}-[0-9A-Z]{5})\b/.exec(notice?.text ?? '')?.[1] ?? ''
      t.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/, 'the notice to the old number carries the undo code')
      const undone = await call('POST', '/auth/account/undo', { body: { code } })
      t.same([undone.status, undone.body], [200, { message: 'The change was undone and every device signed out.' }])
      t.equal(
        (await call('POST', '/api/auth/mobile/', { body: { mobile: old } })).status,
        200,
        'the old number signs in again'
      )
      t.equal((await call('GET', '/api/users/me/', { token: access })).status, 401, 'every earlier token ended')
      const again = await call('POST', '/api/account/undo/', { body: { code } })
      t.same([again.status, again.body.code], [400, 'invalid_code'], 'the code works once')
    }
  )
})

t.test('EMAIL_VERIFICATION=required on PostgreSQL + Redis + SMTP', { skip: noPg || noRedis }, async (t) => {
  const { call, smtp, mailTo, codeIn, login, emailMember } = await selfServiceOn(t, { EMAIL_VERIFICATION: 'required' })

  t.test('(e) login refused until the mailed code proves the address, without a token', async (t) => {
    const since = smtp.received.length
    const { email } = await emailMember()
    const refused = await login(email, PASSWORD)
    t.same([refused.status, refused.body.code], [403, 'EMAIL_NOT_VERIFIED'])
    t.equal(
      (await login(email, 'not the password')).body.code,
      'INVALID_CREDENTIALS',
      'a wrong password is still just wrong'
    )
    const code = codeIn(await mailTo(email, since))
    t.match(code, /^\d{6}$/, 'the refusal mailed a code')

    const wrong = await call('POST', '/auth/email/verify', { body: { email, code: otherThan(code) } })
    t.same([wrong.status, wrong.body.code], [400, 'INVALID_CODE'])
    const verified = await call('POST', '/auth/email/verify', { body: { email, code } })
    t.same([verified.status, verified.body], [200, { message: 'Email verified' }])
    const again = await call('POST', '/auth/email/verify', { body: { email, code } })
    t.same([again.status, again.body.code], [400, 'CODE_EXPIRED'], 'the code works once')

    const signedIn = await login(email, PASSWORD)
    t.equal(signedIn.status, 200, 'verified: signed in')
    t.equal((await call('GET', '/auth/me', { token: signedIn.body.access_token })).body.email, email)
  })
})
