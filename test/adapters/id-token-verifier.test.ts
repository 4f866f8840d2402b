import { inspect } from 'node:util'
import { UnsecuredJWT } from 'jose'
import t, { type Test } from 'tap'
import { DEFAULT_MAX_AGE_MS, MAX_AGE_CAP_MS, REFETCH_INTERVAL_MS } from '../../src/adapters/oidc/jwks-cache.js'
import type { IdTokenVerifier } from '../../src/application/ports/outbound/id-token-verifier.js'
import { createProviderIdTokenVerifier } from '../../src/adapters/oidc/provider-id-token-verifier.js'
import { InvalidIdTokenError, ProviderUnavailableError } from '../../src/domain/errors.js'
import { SIGN_IN_PROVIDERS, type SignInProvider } from '../../src/domain/sign-in-provider.js'
import { idTokenVerifierContract, newNonce, type Refusal } from '../contracts/id-token-verifier.contract.js'
import { createMemoryIdTokenVerifier, type IssuedAssertion } from '../fakes/memory-id-token-verifier.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { appleNonce, CLIENT_IDS, makeKey, type OidcStandIns, startOidcStandIns } from '../helpers/oidc-stand-ins.js'

const TIMEOUT_MS = 200

t.test('memory', (t) => {
  idTokenVerifierContract(t, async (_t, providers) => {
    const verifier = createMemoryIdTokenVerifier({ providers })
    return {
      verifier,
      valid: async (provider, person, nonce) => verifier.issue(provider, person, nonce),
      // The fake knows only the tokens it issued: anything else stands for a token failing a check.
      refused: async (provider, refusal) => `forged.${provider}.${refusal}`,
      fail: () => verifier.failWith('unavailable')
    }
  })
  t.end()
})

t.test('jose against stand-ins of Kakao, Apple and Google', (t) => {
  idTokenVerifierContract(t, async (t, providers = SIGN_IN_PROVIDERS) => {
    const { standIns, clock } = await start(t)
    const verifier = verifierOver(standIns, clock, providers)
    return {
      verifier,
      valid: (provider, person, nonce) =>
        standIns.signIdToken(provider, claimsOf(provider, person), nonce === null ? {} : { nonce }),
      refused: async (provider, refusal, nonce) => await refusedToken(standIns, provider, refusal, nonce),
      fail: provider => standIns.fail(provider, 500)
    }
  })
  t.end()
})

t.test('claims: addresses lower-cased except Apple relays, each provider its own verified flag and name', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  const check = async (provider: SignInProvider, claims: Record<string, unknown>) => {
    const idToken = await standIns.signIdToken(provider, claims)
    return await verifier.verify(provider, { idToken, nonce: null })
  }

  const kakao = await check('kakao', { email: 'Ryan.Lion@Kakao.COM', nickname: '라이언' })
  t.match(kakao, { email: 'ryan.lion@kakao.com', emailVerified: false, name: '라이언' }, 'Kakao: unverified by default')
  t.match(await check('kakao', { email_verified: true }), { emailVerified: true }, 'Kakao: verified if a claim says so')
  t.match(await check('kakao', { email: undefined, nickname: undefined }), {
    email: null,
    emailVerified: false,
    name: null
  })

  const relay = await check('apple', { email: 'Qx7Rk2pL9m@privaterelay.appleid.com', email_verified: 'true' })
  t.match(relay, { email: 'Qx7Rk2pL9m@privaterelay.appleid.com', emailVerified: true, name: null }, 'relay kept')
  t.match(await check('apple', { email: 'Tim@iCloud.com', email_verified: true, is_private_email: undefined }), {
    email: 'tim@icloud.com',
    emailVerified: true
  }, 'Apple: a JSON boolean counts too')
  t.match(await check('apple', { email_verified: 'false' }), { emailVerified: false })

  t.match(await check('google', { email: 'Jane@Gmail.com', email_verified: false, name: 'Jane' }), {
    email: 'jane@gmail.com',
    emailVerified: false,
    name: 'Jane'
  })
  t.match(await check('google', { email_verified: 'true' }), { emailVerified: false }, "Google's flag is a boolean")
  t.match(await check('google', { iss: 'accounts.google.com' }), { provider: 'google' }, 'Google: the short issuer')
  const listed = await check('google', { aud: ['someone-else', CLIENT_IDS.google] })
  t.equal(listed.audience, CLIENT_IDS.google, 'aud as a list: ours is named')
  const other = await check('kakao', { aud: 'other-app-of-ours.kakao' })
  t.equal(other.audience, 'other-app-of-ours.kakao', 'our other app')
})

t.test('refusals name the check for the log, never a value', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  const refusal = async (provider: SignInProvider, claims: Record<string, unknown>) => {
    const idToken = await standIns.signIdToken(provider, claims)
    const error = await verifier.verify(provider, { idToken, nonce: null }).then(() => null, (e: unknown) => e)
    t.ok(error instanceof InvalidIdTokenError)
    return (error as Error).message
  }
  const now = Math.floor(clock.now().getTime() / 1000)
  t.equal(await refusal('kakao', { exp: now - 3600 }), 'kakao ID token refused: ERR_JWT_EXPIRED (exp)')
  t.equal(
    await refusal('google', { aud: 'attacker-client' }),
    'google ID token refused: ERR_JWT_CLAIM_VALIDATION_FAILED (aud)'
  )
  t.equal(await refusal('apple', { iat: undefined }), 'apple ID token refused: ERR_JWT_CLAIM_VALIDATION_FAILED (iat)')
  t.equal(await refusal('apple', { sub: '' }), 'apple ID token refused: no subject')
  t.equal(await refusal('kakao', { exp: undefined }), 'kakao ID token refused: ERR_JWT_CLAIM_VALIDATION_FAILED (exp)')
  t.notMatch(await refusal('google', { aud: 'attacker-client' }), 'attacker-client')
})

t.test('a token without a signature (alg none) is refused', async t => {
  const { standIns, clock } = await start(t)
  const now = Math.floor(clock.now().getTime() / 1000)
  const idToken = new UnsecuredJWT({ iss: 'https://accounts.google.com', aud: CLIENT_IDS.google, sub: '1', iat: now })
    .setExpirationTime(now + 600)
    .encode()
  await t.rejects(verifierOver(standIns, clock).verify('google', { idToken, nonce: null }), InvalidIdTokenError)
})

t.test('a kid not in the cache: one fetch of the keys, then the new key verifies', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  await verifyOne(t, standIns, verifier, 'google')
  t.equal(standIns.fetches('google'), 1)

  await standIns.rotate('google')
  standIns.publish('google')
  await verifyOne(t, standIns, verifier, 'google')
  t.equal(standIns.fetches('google'), 2, 'fetched again for the new kid, once')
  await verifyOne(t, standIns, verifier, 'google')
  t.equal(standIns.fetches('google'), 2, 'the new key is cached')
})

t.test('a new kid not yet published: refused, asked again only after the interval', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  await verifyOne(t, standIns, verifier, 'kakao')
  await standIns.rotate('kakao')
  const early = await standIns.signIdToken('kakao')
  await t.rejects(verifier.verify('kakao', { idToken: early, nonce: null }), InvalidIdTokenError)
  t.equal(standIns.fetches('kakao'), 2)

  standIns.publish('kakao')
  await t.rejects(verifier.verify('kakao', { idToken: early, nonce: null }), InvalidIdTokenError, 'within the interval')
  t.equal(standIns.fetches('kakao'), 2, 'no fetch within the interval')
  clock.advance(REFETCH_INTERVAL_MS)
  await verifyOne(t, standIns, verifier, 'kakao')
  t.equal(standIns.fetches('kakao'), 3)
})

t.test('a flood of made-up kids costs the provider one fetch per interval', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  await verifyOne(t, standIns, verifier, 'apple')
  const flood = async () => {
    const tokens = await Promise.all(
      Array.from({ length: 40 }, (_, i) => standIns.signIdToken('apple', {}, { kid: `made-up-${i}` }))
    )
    const outcomes = await Promise.allSettled(tokens.map(idToken => verifier.verify('apple', { idToken, nonce: null })))
    t.ok(outcomes.every(outcome => outcome.status === 'rejected' && outcome.reason instanceof InvalidIdTokenError))
  }
  await flood()
  t.equal(standIns.fetches('apple'), 2, '40 concurrent unknown kids share one fetch')
  await flood()
  clock.advance(REFETCH_INTERVAL_MS - 1000)
  await flood()
  t.equal(standIns.fetches('apple'), 2, 'none more within the interval')
  clock.advance(1000)
  await flood()
  t.equal(standIns.fetches('apple'), 3, 'one more after it')
  await verifyOne(t, standIns, verifier, 'apple')
})

t.test('concurrent verifications with nothing cached share one fetch', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  const tokens = await Promise.all(Array.from({ length: 20 }, () => standIns.signIdToken('kakao')))
  await Promise.all(tokens.map(idToken => verifier.verify('kakao', { idToken, nonce: null })))
  t.equal(standIns.fetches('kakao'), 1)
})

t.test('Cache-Control max-age: no fetch within it, one after (the injected clock)', async t => {
  const { standIns, clock } = await start(t)
  standIns.setCacheControl('google', 'public, max-age=19845, must-revalidate, no-transform')
  const verifier = verifierOver(standIns, clock)
  await verifyOne(t, standIns, verifier, 'google')
  clock.advance(19_845_000 - 1000)
  await verifyOne(t, standIns, verifier, 'google')
  t.equal(standIns.fetches('google'), 1, 'within max-age')
  clock.advance(1000)
  await verifyOne(t, standIns, verifier, 'google')
  t.equal(standIns.fetches('google'), 2, 'after max-age')
})

t.test('no Cache-Control, or no-store: five minutes; a week is capped at a day', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  for (const [provider, header] of [['kakao', null], ['apple', 'no-store']] as const) {
    standIns.setCacheControl(provider, header)
    await verifyOne(t, standIns, verifier, provider)
  }
  clock.advance(DEFAULT_MAX_AGE_MS - 1000)
  for (const provider of ['kakao', 'apple'] as const) await verifyOne(t, standIns, verifier, provider)
  t.same([standIns.fetches('kakao'), standIns.fetches('apple')], [1, 1])
  clock.advance(1000)
  for (const provider of ['kakao', 'apple'] as const) await verifyOne(t, standIns, verifier, provider)
  t.same([standIns.fetches('kakao'), standIns.fetches('apple')], [2, 2])

  standIns.setCacheControl('google', 'public, max-age=604800')
  await verifyOne(t, standIns, verifier, 'google')
  clock.advance(MAX_AGE_CAP_MS)
  await verifyOne(t, standIns, verifier, 'google')
  t.equal(standIns.fetches('google'), 2, 'fetched again after a day')
})

t.test('a failed fetch while the keys are fresh keeps them in use', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  await verifyOne(t, standIns, verifier, 'google')
  standIns.fail('google', 500)
  const unknown = await standIns.signIdToken('google', {}, { kid: 'not-published' })
  await t.rejects(verifier.verify('google', { idToken: unknown, nonce: null }), InvalidIdTokenError)
  t.equal(standIns.fetches('google'), 2, 'the refetch was tried')
  await verifyOne(t, standIns, verifier, 'google')
})

t.test('keys past their max-age and the provider down: unavailable, asked again only after the interval', async t => {
  const { standIns, clock } = await start(t)
  standIns.setCacheControl('apple', 'max-age=300')
  const verifier = verifierOver(standIns, clock)
  await verifyOne(t, standIns, verifier, 'apple')
  clock.advance(300_000)
  standIns.fail('apple', 500)
  const idToken = await standIns.signIdToken('apple')
  const error = await verifier.verify('apple', { idToken, nonce: null }).then(() => null, (e: unknown) => e)
  t.ok(error instanceof ProviderUnavailableError)
  t.equal((error as Error).message, 'apple keys answered HTTP 500')
  await t.rejects(verifier.verify('apple', { idToken, nonce: null }), ProviderUnavailableError)
  t.equal(standIns.fetches('apple'), 2, 'a second sign-in right after the failure does not ask again')
  standIns.fail('apple', null)
  clock.advance(REFETCH_INTERVAL_MS)
  await verifyOne(t, standIns, verifier, 'apple')
  t.equal(standIns.fetches('apple'), 3)
})

t.test('a keys endpoint that never answers: ProviderUnavailableError at the deadline', async t => {
  const { standIns, clock } = await start(t)
  standIns.fail('kakao', 'hang')
  const idToken = await standIns.signIdToken('kakao')
  const verifier = verifierOver(standIns, clock)
  const error = await verifier.verify('kakao', { idToken, nonce: null }).then(() => null, (e: unknown) => e)
  t.ok(error instanceof ProviderUnavailableError, inspect(error))
  t.equal((error as Error).message, `kakao keys did not answer within ${TIMEOUT_MS} ms`)
})

t.test('a keys endpoint that refuses connections, or answers no JWKS: ProviderUnavailableError', async t => {
  const { standIns, clock } = await start(t)
  const closed = createProviderIdTokenVerifier({
    providers: { google: { clientIds: [CLIENT_IDS.google], keysUrl: standIns.keysUrl('google') } },
    timeoutMs: 2000,
    clock
  })
  const idToken = await standIns.signIdToken('google')
  await standIns.close()
  const error = await closed.verify('google', { idToken, nonce: null }).then(() => null, (e: unknown) => e)
  t.ok(error instanceof ProviderUnavailableError)
  t.equal((error as Error).message, 'google keys unreachable (ECONNREFUSED)')

  const { standIns: other } = await start(t)
  const notKeys = createProviderIdTokenVerifier({
    providers: { google: { clientIds: [CLIENT_IDS.google], keysUrl: `${other.keysUrl('google')}/../nowhere` } },
    timeoutMs: 2000,
    clock
  })
  await t.rejects(notKeys.verify('google', { idToken, nonce: null }), ProviderUnavailableError)
})

t.test('the nonce: Kakao and Google compare it as sent, Apple its SHA-256 in lowercase hex', async t => {
  const { standIns, clock } = await start(t)
  const verifier = verifierOver(standIns, clock)
  const nonce = newNonce()
  for (const provider of ['kakao', 'google'] as const) {
    const idToken = await standIns.signIdToken(provider, { nonce })
    t.match(await verifier.verify(provider, { idToken, nonce }), { provider })
  }
  const idToken = await standIns.signIdToken('apple', { nonce: appleNonce(nonce) })
  t.match(await verifier.verify('apple', { idToken, nonce }), { provider: 'apple' })
  const upper = await standIns.signIdToken('apple', { nonce: appleNonce(nonce).toUpperCase() })
  await t.rejects(verifier.verify('apple', { idToken: upper, nonce }), InvalidIdTokenError)
})

async function start (t: Test) {
  const clock = new ManualClock(Date.now())
  const standIns = await startOidcStandIns({ clock })
  t.teardown(() => standIns.close())
  return { standIns, clock }
}

function verifierOver (
  standIns: OidcStandIns,
  clock: ManualClock,
  providers: readonly SignInProvider[] = SIGN_IN_PROVIDERS
) {
  return createProviderIdTokenVerifier({
    providers: Object.fromEntries(providers.map(provider => [
      provider,
      // A second client id, as an iOS and an Android app of one service have: either is an accepted audience.
      { clientIds: [`other-app-of-ours.${provider}`, CLIENT_IDS[provider]], keysUrl: standIns.keysUrl(provider) }
    ])),
    timeoutMs: TIMEOUT_MS,
    clock
  })
}

async function verifyOne (t: Test, standIns: OidcStandIns, verifier: IdTokenVerifier, provider: SignInProvider) {
  const nonce = newNonce()
  const idToken = await standIns.signIdToken(provider, {}, { nonce })
  const assertion = await verifier.verify(provider, { idToken, nonce })
  t.equal(assertion.provider, provider, `${provider} verifies`)
}

/** The person as the provider writes them into its token. */
function claimsOf (provider: SignInProvider, person: IssuedAssertion): Record<string, unknown> {
  const common = { sub: person.subject, aud: person.audience, email: person.email ?? undefined }
  switch (provider) {
    case 'kakao':
      return { ...common, nickname: person.name ?? undefined, email_verified: person.emailVerified || undefined }
    case 'apple': return { ...common, email_verified: String(person.emailVerified) }
    case 'google': return { ...common, email_verified: person.emailVerified, name: person.name ?? undefined }
  }
}

async function refusedToken (standIns: OidcStandIns, provider: SignInProvider, refusal: Refusal, nonce: string) {
  const now = Math.floor(Date.now() / 1000)
  switch (refusal) {
    case 'wrong_audience': return await standIns.signIdToken(provider, { aud: 'someone-elses-app' }, { nonce })
    case 'wrong_issuer': return await standIns.signIdToken(provider, { iss: 'https://accounts.evil.test' }, { nonce })
    case 'expired': return await standIns.signIdToken(provider, { iat: now - 7200, exp: now - 3600 }, { nonce })
    case 'other_key': return await standIns.signIdToken(provider, {}, { nonce, key: await makeKey() })
    case 'raw_apple_nonce': return await standIns.signIdToken(provider, { nonce })
  }
}
