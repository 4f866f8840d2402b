import { randomUUID } from 'node:crypto'
import t from 'tap'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { LIMITS_ON, buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { approvedMember, freshMobile } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

type Built = Awaited<ReturnType<typeof buildTestApp>>
type App = Built['app']

const MINUTE = 60_000
const DAY = 86_400_000
const e164 = (national: string) => ('+82' + national.slice(1)) as PhoneNumber
const UNDO_CODE = /\b([0-9A-Z]{5}-[0-9A-Z]{5})\b/
/** The member's id as the repository holds it (the API shows the short form). */
const idOf = (member: { uuid: string }): string => fromShortUuid(member.uuid)!
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

/** A code sign-in of the number, as the app makes it: its token pair. */
async function signInByCode ({ app, ports }: Built, mobile: string) {
  await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile } })
  const res = await app.inject({
    method: 'POST',
    url: '/api/token/',
    payload: { mobile, token: ports.sms.lastCodeSentTo(e164(mobile)) }
  })
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`)
  return { access: res.json().access as string, refresh: res.json().refresh as string }
}

/** Moves the member to a new number with the texted code; answers the two answers. */
async function moveNumber ({ app, ports }: Built, access: string, mobile: string, extra: Record<string, string> = {}) {
  const asked = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/',
    headers: bearer(access),
    payload: { mobile, ...extra }
  })
  const code = ports.sms.lastCodeSentTo(e164(mobile)) ?? '000000'
  const verified = await app.inject({
    method: 'POST',
    url: '/api/users/me/mobile/verify/',
    headers: bearer(access),
    payload: { mobile, token: code, ...extra }
  })
  return { asked, verified }
}

/** The undo code of the last text to the number. */
const undoTextedTo = ({ ports }: Built, mobile: string): string =>
  UNDO_CODE.exec(ports.sms.sent.findLast((text) => text.to === e164(mobile))?.body ?? '')?.[1] ?? ''

const undo = (app: App, code: string, url = '/auth/account/undo') =>
  app.inject({ method: 'POST', url, payload: { code } })

t.test(
  'the takeover of issue 22: a token refreshed from a 20-minute-old sign-in moves nothing; ' +
    'the undo code gives the number back',
  async t => {
    const built = await buildTestApp(t)
    const { app, ports } = built
    const owner = await approvedMember(app)
    const signIn = await signInByCode(built, owner.mobile)
    const signedInAt = claimsOf(signIn.access).auth_time as number
    t.equal(signedInAt, Math.floor(ports.clock.now().getTime() / 1000), "the sign-in's instant, in seconds")

    // Twenty minutes on, the app refreshes; the thief copies the fresh access token.
    ports.clock.advance(20 * MINUTE)
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/token/refresh/',
      payload: { refresh: signIn.refresh }
    })
    t.equal(refreshed.statusCode, 200)
    const stolen = refreshed.json().access as string
    t.equal(claimsOf(stolen).auth_time, signedInAt, "a refresh carries the sign-in's instant on: it is no sign-in")
    t.ok((claimsOf(stolen).iat as number) > signedInAt + 1199, 'though the token itself is new')
    t.equal(
      claimsOf(refreshed.json().refresh).auth_time,
      signedInAt,
      'and so does its refresh token, for the next refresh'
    )

    const email = await app.inject({
      method: 'PUT',
      url: '/auth/email',
      headers: bearer(stolen),
      payload: { email: `thief-${uniqueSuffix()}@example.com`, password: "the thief's password" }
    })
    t.same(
      [email.statusCode, email.json().code],
      [403, 'REAUTHENTICATION_REQUIRED'],
      'no email and password added with the token alone'
    )
    t.equal(ports.mail.sent.length, 0, 'and no mail went to the thief')
    const thiefMobile = freshMobile()
    const { asked, verified } = await moveNumber(built, stolen, thiefMobile)
    t.same(
      [asked.statusCode, asked.json().code],
      [403, 'reauthentication_required'],
      "no code texted to the thief's number"
    )
    t.same([verified.statusCode, verified.json().code], [403, 'reauthentication_required'])
    t.equal(ports.sms.lastCodeSentTo(e164(thiefMobile)), null)
    t.equal((await ports.accounts.findByMobile(e164(owner.mobile)))?.id, idOf(owner), "the number is still the owner's")

    // With a sign-in of nine minutes ago (a code to the number: whoever holds it) the change goes.
    const fresh = await signInByCode(built, owner.mobile)
    ports.clock.advance(9 * MINUTE)
    const moved = await moveNumber(built, fresh.access, thiefMobile)
    t.same(
      [moved.asked.statusCode, moved.verified.statusCode],
      [200, 200],
      'a sign-in less than 10 minutes old moves the number'
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: owner.mobile } })).statusCode,
      404,
      "the owner's number is no longer the account's"
    )

    const code = undoTextedTo(built, owner.mobile)
    t.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/, 'the notice to the old number carries an undo code')
    t.notMatch(ports.sms.sent.findLast(text => text.to === e164(owner.mobile))?.body, /\d{6}/, 'and no sign-in code')

    const wrong = await undo(app, code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`)
    t.same([wrong.statusCode, wrong.json().code], [400, 'INVALID_CODE'], 'a wrong code is refused')
    const undone = await undo(app, ` ${code.toLowerCase().replace('-', ' ')} `)
    t.same(
      [undone.statusCode, undone.json()],
      [200, { message: 'The change was undone and every device signed out.' }],
      'case, spaces and dashes do not matter'
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: owner.mobile } })).statusCode,
      200,
      'the owner asks for a code with the old number again'
    )
    t.equal(await ports.accounts.findByMobile(e164(thiefMobile)), null, "the thief's number is gone")
    ports.clock.advance(1) // the test clock stands still: past the sign-out's millisecond
    t.equal(
      (await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(fresh.access) })).statusCode,
      401,
      "the thief's token ended"
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: fresh.refresh } }))
        .statusCode,
      401,
      'and their refresh token'
    )
    const again = await undo(app, code)
    t.same([again.statusCode, again.json().code], [400, 'INVALID_CODE'], 'the code works once')
    const trail = await ports.audit.list({ memberId: idOf(owner), limit: 50 })
    t.ok(
      trail.some(entry => entry.action === 'member.sign_in_method_restored' && entry.detail.kind === 'mobile'),
      'the trail records the undo'
    )
  }
)

t.test('the recent proof: ten minutes to the millisecond; a token from before auth_time is never recent', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const owner = await approvedMember(app)
  const { access } = await signInByCode(built, owner.mobile)
  // auth_time is the sign-in's whole second: 10 minutes from it, less a millisecond.
  ports.clock.advance(10 * MINUTE - (ports.clock.now().getTime() % 1000) - 1)
  t.equal(
    (await moveNumber(built, access, freshMobile())).asked.statusCode,
    200,
    "just under 10 minutes after the sign-in's second"
  )
  ports.clock.advance(1)
  t.equal((await moveNumber(built, access, freshMobile())).asked.statusCode, 403, 'at 10 minutes: no longer')

  // A token signed as this service did before the claim existed (the same key, no auth_time).
  const now = ports.clock.now().getTime() / 1000
  const legacy = ports.codec.sign({
    sub: owner.uuid,
    typ: 'access',
    jti: randomUUID(),
    iat: now,
    exp: Math.floor(now) + 900
  })
  t.equal(
    (await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(legacy) })).statusCode,
    200,
    'still works where it did'
  )
  t.equal(
    (await moveNumber(built, legacy, freshMobile())).asked.json().code,
    'reauthentication_required',
    'but is no recent sign-in'
  )
})

t.test('a member with a password may give it instead of signing in again; a wrong one is refused', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const { email, password, token } = await registerAndLogin(app)
  await app.inject({ method: 'POST', url: '/auth/email/verify/request', headers: bearer(token) })
  await app.inject({
    method: 'POST',
    url: '/auth/email/verify',
    headers: bearer(token),
    payload: { code: ports.mail.lastCodeSentTo(email)! }
  })
  ports.clock.advance(30 * MINUTE)
  const mobile = freshMobile()
  t.equal(
    (await moveNumber(built, token, mobile)).asked.json().code,
    'reauthentication_required',
    'a 30-minute-old password sign-in alone'
  )
  const wrong = await moveNumber(built, token, mobile, { password: 'not the password' })
  t.same([wrong.asked.statusCode, wrong.asked.json().code], [401, 'invalid_credentials'])
  const right = await moveNumber(built, token, mobile, { password })
  t.same([right.asked.statusCode, right.verified.statusCode], [200, 200], 'the current password is a recent proof')

  // Moving the address itself needs the current password, as it always did, however old the sign-in.
  const moved = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(token),
    payload: { email: `moved-${uniqueSuffix()}@example.com`, password }
  })
  t.equal(moved.statusCode, 202)
})

t.test('a phone member adds an email within 10 minutes of signing in, not after', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const owner = await approvedMember(app)
  const { access } = await signInByCode(built, owner.mobile)
  ports.clock.advance(11 * MINUTE)
  const added = `added-${uniqueSuffix()}@example.com`
  const late = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(access),
    payload: { email: added, password: 'phone member password' }
  })
  t.same([late.statusCode, late.json().code], [403, 'REAUTHENTICATION_REQUIRED'])
  const again = await signInByCode(built, owner.mobile)
  const put = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(again.access),
    payload: { email: added, password: 'phone member password' }
  })
  t.equal(put.statusCode, 202, 'signed in again by a code to the number: the email is added')
})

t.test(
  "an email change: the old address's notice carries an undo code that puts it back and ends every session",
  async t => {
    const built = await buildTestApp(t)
    const { app, ports } = built
    const { email, password, token } = await registerAndLogin(app)
    const moved = `moved-${uniqueSuffix()}@example.com`
    t.equal(
      (
        await app.inject({
          method: 'PUT',
          url: '/auth/email',
          headers: bearer(token),
          payload: { email: moved, password }
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
    const notice = ports.mail.lastSentTo(email)!
    const code = /^([0-9A-Z]{5}-[0-9A-Z]{5})$/m.exec(notice.text)?.[1] ?? ''
    t.match(code, UNDO_CODE, 'the code alone on its line of the notice to the old address')
    t.match(notice.html, code)

    const undone = await undo(app, code)
    t.equal(undone.statusCode, 200)
    const login = (address: string) =>
      app.inject({ method: 'POST', url: '/auth/login/json', payload: { email: address, password } })
    t.equal((await login(email)).statusCode, 200, 'the old address signs in again')
    t.equal((await login(moved)).statusCode, 401, 'the new one no longer')
    t.ok((await ports.accounts.findByEmail(email))?.emailVerifiedAt, 'the address is proven: the code was mailed there')
    ports.clock.advance(1)
    t.equal(
      (await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })).statusCode,
      401,
      'every earlier session ended'
    )
    t.equal((await undo(app, code)).json().code, 'INVALID_CODE', 'once only')
  }
)

t.test('an old address another account took since: refused, and the code stays usable', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const { email, password, token } = await registerAndLogin(app)
  const moved = `moved-${uniqueSuffix()}@example.com`
  await app.inject({ method: 'PUT', url: '/auth/email', headers: bearer(token), payload: { email: moved, password } })
  await app.inject({
    method: 'POST',
    url: '/auth/email/verify',
    headers: bearer(token),
    payload: { code: ports.mail.lastCodeSentTo(moved)! }
  })
  const code = UNDO_CODE.exec(ports.mail.lastSentTo(email)!.text)?.[1] ?? ''
  const other = await registerAndLogin(app, { email })

  const taken = await undo(app, code)
  t.same([taken.statusCode, taken.json().code], [409, 'SIGN_IN_METHOD_TAKEN'])
  t.equal(
    (await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })).statusCode,
    200,
    'nothing changed: no session ended'
  )
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/auth/me', headers: bearer(other.token) })).statusCode,
    200,
    'the other account goes'
  )
  t.equal((await undo(app, code)).statusCode, 200, 'the same code now puts the address back')
})

t.test('an undo goes back past later changes: their codes are void, so whoever made them cannot undo it', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const owner = await approvedMember(app)
  const { access } = await signInByCode(built, owner.mobile)
  const [second, third] = [freshMobile(), freshMobile()]
  await moveNumber(built, access, second)
  const first = undoTextedTo(built, owner.mobile)
  ports.clock.advance(MINUTE)
  await moveNumber(built, access, third)
  const later = undoTextedTo(built, second)
  t.not(first, later)

  // The phone door has the route too, in its own format.
  const undone = await undo(app, first, '/api/account/undo/')
  t.same([undone.statusCode, undone.json()], [200, { detail: 'The change was undone and every device signed out.' }])
  t.equal((await ports.accounts.findByMobile(e164(owner.mobile)))?.id, idOf(owner), 'back to the first number')
  const void_ = await undo(app, later, '/api/account/undo/')
  t.same([void_.statusCode, void_.json().code], [400, 'invalid_code'], 'the later change\'s code is void')
  t.equal((await ports.accounts.findByMobile(e164(owner.mobile)))?.id, idOf(owner))
})

t.test('an undo code works for 7 days', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const owner = await approvedMember(app)
  const { access } = await signInByCode(built, owner.mobile)
  await moveNumber(built, access, freshMobile())
  const code = undoTextedTo(built, owner.mobile)
  ports.clock.advance(7 * DAY)
  t.same(
    [(await undo(app, code)).statusCode, (await undo(app, code)).json().code],
    [400, 'INVALID_CODE'],
    'after 7 days the code is refused'
  )
  t.equal(await ports.accounts.findByMobile(e164(owner.mobile)), null, 'and nothing changed')
})

t.test(
  "undo guesses go through the guard: a client's wrong codes are spaced out, all strangers share one budget",
  async t => {
    const built = await buildTestApp(t, {}, { limits: LIMITS_ON })
    const { app } = built
    const guess = (ip: string) =>
      app.inject({ method: 'POST', url: '/auth/account/undo', remoteAddress: ip, payload: { code: 'AAAAA-AAAAA' } })
    const answers = []
    for (let i = 0; i < 6; i++) answers.push((await guess('203.0.113.7')).statusCode)
    t.same(answers, [400, 400, 400, 400, 400, 429], 'five wrong codes from one address, then Retry-After')
    t.equal((await guess('198.51.100.9')).statusCode, 400, 'another address has its own')
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/account/undo',
          remoteAddress: '198.51.100.9',
          payload: { code: 'not even a code' }
        })
      ).statusCode,
      400,
      'a malformed code is just a wrong one'
    )
  }
)
