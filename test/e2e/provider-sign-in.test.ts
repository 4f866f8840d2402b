import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import postgres from 'postgres'
import t, { type Test } from 'tap'
import { createAppleTokens } from '../../src/adapters/apple/apple-tokens.js'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { createDrizzleProviderRevocations } from '../../src/adapters/drizzle/drizzle-provider-revocations.js'
import {
  makeRevokeProviderTokens,
  REVOCATION_RETRY_SECONDS
} from '../../src/application/linked-sign-in/revoke-provider-tokens.js'
import type { SignInProvider } from '../../src/domain/sign-in-provider.js'
import { startAppleStandIn, generateAppleKey, type AppleStandIn } from '../helpers/apple-stand-in.js'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { CLIENT_IDS, appleNonce, startOidcStandIns } from '../helpers/oidc-stand-ins.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// Sign-in with Kakao, Apple and Google through the service as production composes it (PostgreSQL,
// Redis, the jose verifier fetching keys over HTTP, Apple's token endpoints), against local
// stand-ins of the providers: their key endpoints and Apple's token and revocation endpoints.

const APPLE_TEAM_ID = 'ABCDE12345'
const APPLE_KEY_ID = 'XYZ9876543'
const PASSWORD = 'e2e password 123'

type Service = Awaited<ReturnType<typeof startServiceOnPostgresAndRedis>>

/** The service with all three providers on, each pointed at a stand-in of this test's own. */
async function serviceWithProviders (t: Test) {
  const oidc = await startOidcStandIns()
  t.teardown(() => oidc.close())
  const appleKey = await generateAppleKey()
  const apple = await startAppleStandIn({ teamId: APPLE_TEAM_ID, keyId: APPLE_KEY_ID, publicKey: appleKey.publicKey })
  t.teardown(() => apple.close())
  const service = await startServiceOnPostgresAndRedis(t, {
    ADMIN_API_KEY: ADMIN_KEY,
    KAKAO_CLIENT_IDS: CLIENT_IDS.kakao,
    APPLE_CLIENT_IDS: CLIENT_IDS.apple,
    GOOGLE_CLIENT_IDS: CLIENT_IDS.google,
    KAKAO_KEYS_URL: oidc.keysUrl('kakao'),
    APPLE_KEYS_URL: oidc.keysUrl('apple'),
    GOOGLE_KEYS_URL: oidc.keysUrl('google'),
    SIGN_IN_PROVIDER_TIMEOUT_MS: '2000',
    APPLE_TEAM_ID,
    APPLE_KEY_ID,
    APPLE_PRIVATE_KEY: appleKey.privateKey,
    APPLE_AUTH_URL: apple.url
  })
  return { ...service, oidc, apple, applePrivateKey: appleKey.privateKey }
}

/** Both doors' sign-in with a provider's token: the phone door's pair, the email door's token. */
function doors ({ call }: Service) {
  const body = (idToken: string, nonce?: string) =>
    nonce === undefined ? { id_token: idToken } : { id_token: idToken, nonce }
  return {
    phone: (provider: SignInProvider, idToken: string, nonce?: string) =>
      call('POST', `/api/identity/${provider}/`, { body: body(idToken, nonce) }),
    email: (provider: SignInProvider, idToken: string, nonce?: string) =>
      call('POST', `/auth/identity/${provider}`, { body: body(idToken, nonce) })
  }
}

/** A phone door sign-up that brings a provider sign-in along: the new member's uuid. */
async function signUpWith (call: Service['call'], signInWith: Record<string, unknown>): Promise<string> {
  const res = await call('POST', '/api/registration/', { body: registration({ sign_in_with: signInWith }) })
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.user.uuid as string
}

async function approve (call: Service['call'], uuid: string) {
  const res = await call('POST', `/admin/users/${uuid}/approve`, { headers: admin })
  if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`)
}

const subjectOf = (idToken: string): string => decodeJwt(idToken).sub!
const nowSeconds = () => Math.floor(Date.now() / 1000)
const codes = (res: { status: number, body: { code?: unknown } }) => [res.status, res.body.code]

t.test('each provider signs its member in at both doors, and refuses what it must', {
  skip: noPg || noRedis
}, async (t) => {
  const service = await serviceWithProviders(t)
  const { call, oidc } = service
  const door = doors(service)

  for (const provider of ['kakao', 'apple', 'google'] as const) {
    await t.test(provider, async (t) => {
      const nonce = randomUUID()
      const first = await oidc.signIdToken(provider, {}, { nonce })
      const sub = subjectOf(first)
      const uuid = await signUpWith(call, { provider, id_token: first, nonce })

      const pending = await door.phone(provider, await oidc.signIdToken(provider, { sub }, { nonce }), nonce)
      t.same(codes(pending), [406, '1006'], 'awaiting approval: no session at the phone door')
      const pendingEmail = await door.email(provider, await oidc.signIdToken(provider, { sub }, { nonce }), nonce)
      t.same(codes(pendingEmail), [406, 'MEMBER_PENDING'], 'nor at the email door')

      await approve(call, uuid)
      const phone = await door.phone(provider, await oidc.signIdToken(provider, { sub }, { nonce }), nonce)
      t.equal(phone.status, 200, 'approved: the phone door signs in')
      t.equal(phone.body.user.uuid, uuid, 'as the member who signed up with it')
      t.match(phone.body, { access: String, refresh: String })
      const email = await door.email(provider, await oidc.signIdToken(provider, { sub }, { nonce }), nonce)
      t.equal(email.status, 200, 'the email door signs in too')
      t.equal(email.body.token_type, 'bearer')
      const listed = await call('GET', '/auth/identities', { token: email.body.access_token })
      t.same(
        listed.body.identities.map((it: { provider: string, subject: string }) => [it.provider, it.subject]),
        [[provider, sub]],
        'the email door\'s token is the member\'s: it lists the identity'
      )

      const refusedAt = async (idToken: string, sentNonce: string | undefined, why: string) => {
        t.same(codes(await door.phone(provider, idToken, sentNonce)), [401, 'invalid_id_token'], `${why} (phone door)`)
        t.same(codes(await door.email(provider, idToken, sentNonce)), [401, 'INVALID_ID_TOKEN'], `${why} (email door)`)
      }
      await refusedAt(
        await oidc.signIdToken(provider, { sub, aud: 'another-app' }, { nonce }), nonce, 'another app\'s audience')
      const past = nowSeconds() - 7200
      await refusedAt(
        await oidc.signIdToken(provider, { sub, iat: past, exp: past + 600 }, { nonce }), nonce, 'an expired token')
      await refusedAt(await oidc.signIdToken(provider, { sub }, { nonce }), randomUUID(), 'another sign-in\'s nonce')
      await refusedAt(await oidc.signIdToken(provider, { sub }, { nonce }), undefined, 'a nonce the app did not send')
    })
  }

  await t.test('Apple carries the SHA-256 of the nonce, never the nonce itself', async (t) => {
    const nonce = randomUUID()
    const first = await oidc.signIdToken('apple', {}, { nonce })
    t.equal(decodeJwt(first).nonce, appleNonce(nonce), 'the stand-in mints as Apple does')
    const uuid = await signUpWith(call, { provider: 'apple', id_token: first, nonce })
    await approve(call, uuid)
    const sub = subjectOf(first)
    const hashed = await door.phone('apple', await oidc.signIdToken('apple', { sub, nonce: appleNonce(nonce) }), nonce)
    t.same([hashed.status, hashed.body.user?.uuid], [200, uuid], 'the raw nonce hashed matches the token')
    const raw = await door.phone('apple', await oidc.signIdToken('apple', { sub, nonce }), nonce)
    t.same(codes(raw), [401, 'invalid_id_token'], 'a token carrying the raw nonce is refused')
  })

  await t.test('a new key: fetched again once for its kid, a made-up kid costs no fetch', async (t) => {
    const nonce = randomUUID()
    const first = await oidc.signIdToken('google', {}, { nonce })
    const uuid = await signUpWith(call, { provider: 'google', id_token: first, nonce })
    await approve(call, uuid)
    const sub = subjectOf(first)
    const before = oidc.fetches('google')
    await oidc.rotate('google')
    oidc.publish('google')
    const rotated = await door.phone('google', await oidc.signIdToken('google', { sub }, { nonce }), nonce)
    t.same([rotated.status, rotated.body.user?.uuid], [200, uuid], 'a token under the new kid signs in')
    t.equal(oidc.fetches('google'), before + 1, 'after one fetch of the keys')
    const forged = await oidc.signIdToken('google', { sub }, { nonce, kid: 'made-up' })
    const madeUp = await door.phone('google', forged, nonce)
    t.same(codes(madeUp), [401, 'invalid_id_token'], 'a kid nobody published is refused')
    t.equal(oidc.fetches('google'), before + 1, 'without asking Google again within the window')

    oidc.fail('google', 500)
    const cached = await door.phone('google', await oidc.signIdToken('google', { sub }, { nonce }), nonce)
    t.equal(cached.status, 200, 'keys still fresh in the cache serve while the endpoint is down')
    oidc.fail('google', null)
  })
})

t.test('the account rules: unknown identities, unproven and proven addresses', {
  skip: noPg || noRedis
}, async (t) => {
  const service = await serviceWithProviders(t)
  const { call, oidc, logs } = service
  const door = doors(service)

  /** The code the log mail sender wrote for this address (no SMTP_URL: mails go to the log as email.sent). */
  const mailedCode = (address: string): string => {
    const mail = logs.lines
      .map(text => JSON.parse(text) as { msg?: string, to?: string, text?: string })
      .findLast(entry => entry.msg === 'email.sent' && entry.to === address)
    return /^(\d{6})$/m.exec(mail?.text ?? '')?.[1] ?? ''
  }
  const emailMember = async (t: Test, email: string): Promise<string> => {
    const registered = await call('POST', '/auth/register', { body: { email, password: PASSWORD } })
    t.equal(registered.status, 200, 'registered at the email door')
    const login = await call('POST', '/auth/login/json', { body: { email, password: PASSWORD } })
    t.equal(login.status, 200, 'signed in with the password')
    return login.body.access_token as string
  }

  await t.test('an identity no account holds', async (t) => {
    const token = () => oidc.signIdToken('google', { email: `nobody-${uniqueSuffix()}@example.com` }, {})
    t.same(codes(await door.phone('google', await token())), [404, 'identity_not_linked'])
    t.same(codes(await door.email('google', await token())), [404, 'IDENTITY_NOT_LINKED'])
  })

  await t.test('pre-hijacking: an address registered by someone who never proved it', async (t) => {
    const victim = 'victim@example.com'
    const squatter = await emailMember(t, victim)
    const owner = () => oidc.signIdToken('google', { email: victim, email_verified: true }, {})
    t.same(codes(await door.email('google', await owner())), [409, 'IDENTITY_EMAIL_UNPROVEN'], 'the email door refuses')
    t.same(codes(await door.phone('google', await owner())), [409, 'identity_email_unproven'], 'so does the phone door')
    const listed = await call('GET', '/auth/identities', { token: squatter })
    t.same([listed.status, listed.body.identities], [200, []], 'nothing was linked to the squatter\'s account')
  })

  await t.test('an address the account proved links on a verified Google sign-in', async (t) => {
    const address = `owner-${uniqueSuffix()}@example.com`
    const token = await emailMember(t, address)
    t.equal((await call('POST', '/auth/email/verify/request', { token })).status, 202)
    const code = mailedCode(address)
    t.match(code, /^\d{6}$/, 'the code was mailed')
    t.equal((await call('POST', '/auth/email/verify', { token, body: { code } })).status, 200, 'the address is proven')

    const kakao = await door.email('kakao', await oidc.signIdToken('kakao', { email: address }, {}))
    t.same(codes(kakao), [404, 'IDENTITY_NOT_LINKED'], 'Kakao states no verification: its address never links')
    const unverified = await oidc.signIdToken('google', { email: address, email_verified: false }, {})
    t.same(codes(await door.email('google', unverified)), [404, 'IDENTITY_NOT_LINKED'], 'nor an unverified Google one')
    t.same((await call('GET', '/auth/identities', { token })).body.identities, [], 'nothing linked by those')

    // Google's address in another case: addresses compare as the service stores them.
    const verified = await oidc.signIdToken('google', { email: address.toUpperCase(), email_verified: true }, {})
    const signedIn = await door.email('google', verified)
    t.equal(signedIn.status, 200, 'a Google address both sides verified signs the owner in')
    const me = await call('GET', '/auth/me', { token: signedIn.body.access_token })
    t.equal(me.body.email, address, 'into the account that proved it')
    const listed = await call('GET', '/auth/identities', { token })
    t.match(listed.body.identities, [{ provider: 'google', subject: subjectOf(verified), email_verified: true }])
    t.equal(listed.body.identities.length, 1)
    const again = await door.phone('google', await oidc.signIdToken('google', { sub: subjectOf(verified) }, {}))
    t.equal(again.status, 200, 'from then on the identity signs in by itself')
  })

  await t.test('no keys yet and the keys endpoint down: unavailable, not refused', async (t) => {
    t.equal(oidc.fetches('apple'), 0, 'Apple was never asked for its keys by this service')
    oidc.fail('apple', 500)
    const refused = await door.phone('apple', await oidc.signIdToken('apple', {}, {}))
    t.same(codes(refused), [503, 'provider_unavailable'])
    const emailDoor = await door.email('apple', await oidc.signIdToken('apple', {}, {}))
    t.same(codes(emailDoor), [503, 'PROVIDER_UNAVAILABLE'])
    t.equal(oidc.fetches('apple'), 1, 'a recent failure answers at once rather than asking again')
    oidc.fail('apple', null)
  })
})

t.test('Apple: the name kept, the refresh token revoked at deletion, later if Apple is down', {
  skip: noPg || noRedis
}, async (t) => {
  const service = await serviceWithProviders(t)
  const { call, oidc, apple, config } = service
  const door = doors(service)
  const sql = postgres(config.database.url!, { max: 1, onnotice: () => {} })
  t.teardown(() => sql.end({ timeout: 2 }))
  const queued = () =>
    sql<Array<{ token: string, client_id: string }>>`select token, client_id from provider_revocations`

  /** An approved member who signed up with Apple and a code: their email door token. */
  async function appleMember (t: Test, name: string) {
    const nonce = randomUUID()
    const idToken = await oidc.signIdToken('apple', {}, { nonce })
    const sub = subjectOf(idToken)
    const exchanges = apple.requests.filter(request => request.path === '/auth/token').length
    const uuid = await signUpWith(call, {
      provider: 'apple',
      id_token: idToken,
      nonce,
      authorization_code: apple.issueCode(CLIENT_IDS.apple, sub),
      name
    })
    const exchanged = apple.requests.filter(request => request.path === '/auth/token').length
    t.equal(exchanged, exchanges + 1, 'the code was exchanged at sign-up')
    await approve(call, uuid)
    const signedIn = await door.email('apple', await oidc.signIdToken('apple', { sub }, { nonce }), nonce)
    t.equal(signedIn.status, 200, 'approved, the member signs in with Apple at the email door')
    return { sub, token: signedIn.body.access_token as string }
  }

  await t.test('deletion revokes the kept token at once', async (t) => {
    const { sub, token } = await appleMember(t, '김사과')
    const listed = await call('GET', '/auth/identities', { token })
    t.match(listed.body.identities, [{ provider: 'apple', subject: sub, name: '김사과' }], 'the name Apple gave is kept')

    const revokedBefore = apple.revoked.length
    const deleted = await call('DELETE', '/auth/me', { token })
    t.same([deleted.status, deleted.body.message], [200, 'User account deleted successfully'])
    t.equal(apple.revoked.length, revokedBefore + 1, 'one revocation reached Apple')
    t.equal(apple.revoked.at(-1)?.clientId, CLIENT_IDS.apple, 'as the app the token was issued to')
    t.match(apple.revoked.at(-1)?.token, /^r[0-9a-f]{32}\.0\./, 'a refresh token Apple issued')
    t.same(await queued(), [], 'nothing left queued')
  })

  await t.test('with Apple down the deletion succeeds and the sweeper revokes later', async (t) => {
    const { token } = await appleMember(t, '이배')
    const revokedBefore = apple.revoked.length
    apple.setDown(true)
    const deleted = await call('DELETE', '/auth/me', { token })
    t.equal(deleted.status, 200, 'Apple being down does not stop the deletion')
    t.equal((await call('GET', '/auth/identities', { token })).status, 401, 'the account is gone')
    t.equal(apple.revoked.length, revokedBefore, 'nothing revoked yet')
    const waiting = await queued()
    t.equal(waiting.length, 1, 'the token stays queued')
    t.equal(waiting[0]?.client_id, CLIENT_IDS.apple)

    apple.setDown(false)
    const report = await sweepOnce(service, apple, REVOCATION_RETRY_SECONDS + 1)
    t.same(report, { revoked: 1, failed: 0 })
    t.equal(apple.revoked.length, revokedBefore + 1, 'Apple received the revocation')
    t.equal(apple.revoked.at(-1)?.token, waiting[0]?.token, 'of the queued token')
    t.same(await queued(), [], 'and the queue is empty')
  })
})

/**
 * The sweeper's step (build-service.ts runs `revokeProviderTokens` every minute): the same use-case
 * over the same database and Apple, run once `laterSeconds` from now, past the retry delay a
 * failed revocation is postponed by. The test does not wait for the service's timer.
 */
async function sweepOnce (
  service: Awaited<ReturnType<typeof serviceWithProviders>>,
  apple: AppleStandIn,
  laterSeconds: number
) {
  const later = { now: () => new Date(Date.now() + laterSeconds * 1000) }
  const database = connectPostgres({ url: service.config.database.url!, poolSize: 1, connectTimeoutSeconds: 5 })
  try {
    const revokeProviderTokens = makeRevokeProviderTokens({
      revocations: createDrizzleProviderRevocations(database.db),
      appleTokens: await createAppleTokens({
        teamId: APPLE_TEAM_ID,
        keyId: APPLE_KEY_ID,
        privateKey: service.applePrivateKey,
        authUrl: apple.url,
        timeoutMs: 2000,
        // Apple checks its client secret against its own clock: the real one.
        clock: { now: () => new Date() }
      }),
      clock: later
    })
    return await revokeProviderTokens()
  } finally {
    await database.close()
  }
}
