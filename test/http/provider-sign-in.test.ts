import t from 'tap'
import type { Test } from 'tap'
import type { ProviderAssertion, SignInProvider } from '../../src/domain/sign-in-provider.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

// Kakao, Apple and Google through both doors on the memory app, with a verifier that stands in for
// the providers' keys: the account rules of docs/decisions.md ("Sign-in with providers"), each tested.

type Built = Awaited<ReturnType<typeof buildTestApp>>

/** A person at a provider, as its verified ID token says. */
function person (overrides: Partial<Omit<ProviderAssertion, 'provider'>> = {}) {
  return {
    subject: `sub-${uniqueSuffix()}`,
    email: null,
    emailVerified: false,
    name: null,
    audience: 'net.example.app',
    ...overrides
  }
}

async function setUp (t: Test) {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const tokenFor = (provider: SignInProvider, who: ReturnType<typeof person>, nonce = 'nonce-1') =>
    ({ id_token: ports.idTokens.issue(provider, who, nonce), nonce })
  const signIn = (door: 'phone' | 'email', provider: SignInProvider, body: Record<string, unknown>) => app.inject({
    method: 'POST',
    url: door === 'phone' ? `/api/identity/${provider}/` : `/auth/identity/${provider}`,
    payload: body
  })
  return { ...built, tokenFor, signIn }
}

/** Proves the email member's address with the mailed code. */
async function proveEmail ({ app, ports }: Built, email: string, token: string) {
  await app.inject({ method: 'POST', url: '/auth/email/verify/request', headers: bearer(token) })
  await new Promise(resolve => setImmediate(resolve))
  const code = ports.mail.lastCodeSentTo(email)
  const res = await app.inject({ method: 'POST', url: '/auth/email/verify', headers: bearer(token), payload: { code } })
  if (res.statusCode !== 200) throw new Error(`email proof failed: ${res.body}`)
}

t.test('a phone sign-up with Kakao, then sign-in by Kakao under the approval rules', async t => {
  const { app, ports, tokenFor, signIn } = await setUp(t)
  const kakao = person({ name: '도도' })
  const signUp = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: registration({ sign_in_with: { provider: 'kakao', ...tokenFor('kakao', kakao) } })
  })
  t.equal(signUp.statusCode, 201)
  const uuid = signUp.json().user.uuid as string
  const memberId = fromShortUuid(uuid)!
  t.match(await ports.linkedIdentities.listByMember(memberId), [{ provider: 'kakao', subject: kakao.subject }])

  const pending = await signIn('phone', 'kakao', tokenFor('kakao', kakao))
  t.same([pending.statusCode, pending.json().code], [406, '1006'], "pending: the phone app's 1006")
  await app.inject({ method: 'POST', url: `/admin/users/${uuid}/approve`, headers: admin })
  const phone = await signIn('phone', 'kakao', tokenFor('kakao', kakao))
  t.equal(phone.statusCode, 200)
  t.same(Object.keys(phone.json()).sort(), ['access', 'refresh', 'user'])
  t.equal(phone.json().user.uuid, uuid)
  const email = await signIn('email', 'kakao', tokenFor('kakao', kakao))
  t.same([email.statusCode, email.json().token_type], [200, 'bearer'], "the email door's token")
  const me = await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(phone.json().access) })
  t.equal(me.json().uuid, uuid, 'the pair works')
  const trail = await ports.audit.list({ memberId, limit: 20 })
  t.ok(trail.some(entry => entry.action === 'member.identity_linked'), 'identity linked on the trail')
  t.ok(trail.some(entry => entry.action === 'member.signed_in' && entry.detail.method === 'kakao'))

  const taken = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: registration({ sign_in_with: { provider: 'kakao', ...tokenFor('kakao', kakao) } })
  })
  t.same([taken.statusCode, taken.json().code], [409, 'identity_linked_elsewhere'], 'a second sign-up with it')
})

t.test('refusals: a forged token, a wrong nonce, an unknown identity, a provider down', async t => {
  const { ports, tokenFor, signIn } = await setUp(t)
  const forged = await signIn('phone', 'google', { id_token: 'eyJhbGciOiJub25lIn0.e30.' })
  t.same([forged.statusCode, forged.json().code], [401, 'invalid_id_token'])
  const nonce = await signIn('email', 'google', { ...tokenFor('google', person()), nonce: 'another' })
  t.same([nonce.statusCode, nonce.json().code], [401, 'INVALID_ID_TOKEN'], "the email door's words")
  const unknown = await signIn('phone', 'apple', tokenFor('apple', person()))
  t.same([unknown.statusCode, unknown.json().code], [404, 'identity_not_linked'])
  ports.idTokens.failWith('unavailable')
  const down = await signIn('phone', 'kakao', tokenFor('kakao', person()))
  t.same([down.statusCode, down.json().code], [503, 'provider_unavailable'])
  const badProvider = await signIn('phone', 'naver' as SignInProvider, tokenFor('kakao', person()))
  t.equal(badProvider.statusCode, 400, 'only kakao, apple and google')
})

t.test('never by a matching email alone: an unproven account is not taken over (pre-hijacking)', async t => {
  const built = await setUp(t)
  const { app, ports, tokenFor, signIn } = built
  // Someone signs up first with the victim's address and a password of their own, never proving it.
  const squatter = await registerAndLogin(app, { email: `victim-${uniqueSuffix()}@example.com` })
  const victim = person({ email: squatter.email, emailVerified: true })
  const res = await signIn('email', 'google', tokenFor('google', victim))
  t.same([res.statusCode, res.json().code], [409, 'IDENTITY_EMAIL_UNPROVEN'])
  const listed = await app.inject({ method: 'GET', url: '/auth/identities', headers: bearer(squatter.token) })
  t.same(listed.json(), { identities: [] }, "nothing attached to the squatter's account")

  // The address proven by its owner: the provider's verified address signs them in, and links.
  const owner = await registerAndLogin(app)
  await proveEmail(built, owner.email, owner.token)
  const google = person({ email: owner.email, emailVerified: true })
  const linked = await signIn('email', 'google', tokenFor('google', google))
  t.equal(linked.statusCode, 200)
  const mine = await app.inject({ method: 'GET', url: '/auth/identities', headers: bearer(owner.token) })
  t.match(mine.json().identities, [{ provider: 'google', email: owner.email, email_verified: true }])

  // The same address, but the provider did not verify it (Kakao's): no link.
  const kakao = person({ email: owner.email, emailVerified: false })
  const refused = await signIn('email', 'kakao', tokenFor('kakao', kakao))
  t.same([refused.statusCode, refused.json().code], [404, 'IDENTITY_NOT_LINKED'])
  t.equal((await ports.linkedIdentities.listByMember(
    (await ports.accounts.findByEmail(owner.email))!.id
  )).length, 1)
})

t.test('a signed-in member links and unlinks; recent sign-in and a proven address needed', async t => {
  const built = await setUp(t)
  const { app, ports, tokenFor } = built
  const member = await registerAndLogin(app)
  const unproven = await app.inject({
    method: 'POST',
    url: '/auth/identities/google',
    headers: bearer(member.token),
    payload: tokenFor('google', person())
  })
  t.same([unproven.statusCode, unproven.json().code], [403, 'EMAIL_NOT_VERIFIED'],
    'an address nobody proved gains no other way in')
  await proveEmail(built, member.email, member.token)
  const apple = person({ email: 'abc123@privaterelay.appleid.com', emailVerified: true })
  const link = (token: string, who: ReturnType<typeof person>, provider: SignInProvider = 'apple') => app.inject({
    method: 'POST',
    url: `/auth/identities/${provider}`,
    headers: bearer(token),
    payload: { ...tokenFor(provider, who), name: 'Gil-dong Hong' }
  })
  const res = await link(member.token, apple)
  t.equal(res.statusCode, 200)
  t.match(res.json().identities, [{
    provider: 'apple',
    email: 'abc123@privaterelay.appleid.com',
    name: 'Gil-dong Hong'
  }], "Apple's relay address as it is, and the name the app passed at the first sign-in")

  const other = await registerAndLogin(app)
  await proveEmail(built, other.email, other.token)
  const elsewhere = await link(other.token, apple)
  t.same([elsewhere.statusCode, elsewhere.json().code], [409, 'IDENTITY_LINKED_ELSEWHERE'])

  ports.clock.advance(11 * 60_000)
  const stale = await link(member.token, person(), 'google')
  t.same([stale.statusCode, stale.json().code], [403, 'REAUTHENTICATION_REQUIRED'], 'a token 11 minutes old')

  const unlink = (token: string, subject: string) =>
    app.inject({ method: 'DELETE', url: `/auth/identities/apple/${subject}`, headers: bearer(token) })
  t.equal((await unlink(other.token, apple.subject)).statusCode, 404, "another member's identity")
  t.equal((await unlink(member.token, apple.subject)).statusCode, 200, 'the password remains a way in')
  const trail = await ports.audit.list({ memberId: (await ports.accounts.findByEmail(member.email))!.id, limit: 20 })
  t.ok(trail.some(entry => entry.action === 'member.identity_unlinked'))
})

t.test('unlinking the last way in is refused', async t => {
  const { app, ports, tokenFor, signIn } = await setUp(t)
  // An account whose only way in is its Google identity: no number, no password.
  const id = ports.ids.newId()
  await ports.accounts.create({
    id,
    email: null,
    passwordHash: null,
    mobile: null,
    status: 'approved',
    language: 'ko',
    pushToken: null,
    profile: null
  })
  const google = person()
  const now = ports.clock.now()
  await ports.linkedIdentities.link({
    memberId: id,
    provider: 'google',
    subject: google.subject,
    email: null,
    emailVerified: false,
    name: null,
    linkedAt: now,
    lastUsedAt: now
  })
  const session = await signIn('email', 'google', tokenFor('google', google))
  t.equal(session.statusCode, 200)
  const res = await app.inject({
    method: 'DELETE',
    url: `/auth/identities/google/${google.subject}`,
    headers: bearer(session.json().access_token)
  })
  t.same([res.statusCode, res.json().code], [409, 'LAST_SIGN_IN_METHOD'])
  t.equal((await ports.linkedIdentities.listByMember(id)).length, 1, 'still linked')
})

t.test('passkeys are off without WEBAUTHN_RP_ID: their routes answer 404', async t => {
  const { app } = await setUp(t)
  const res = await app.inject({ method: 'POST', url: '/api/passkeys/sign-in/options/' })
  t.same([res.statusCode, res.json().code], [404, 'not_found'])
})
