import { randomBytes, randomUUID } from 'node:crypto'
import { inspect } from 'node:util'
import type { Test } from 'tap'
import type { IdTokenVerifier } from '../../src/application/ports/outbound/id-token-verifier.js'
import { InvalidIdTokenError, ProviderUnavailableError } from '../../src/domain/errors.js'
import { SIGN_IN_PROVIDERS, type SignInProvider } from '../../src/domain/sign-in-provider.js'
import type { IssuedAssertion } from '../fakes/memory-id-token-verifier.js'
import { CLIENT_IDS } from '../helpers/oidc-stand-ins.js'

/** Why a token must be refused, beyond the nonce (which the suite varies itself). */
export type Refusal =
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'expired'
  /** Signed with a key the provider never published, under the published kid. */
  | 'other_key'
  /** An Apple token carrying the raw nonce: the app should have passed its SHA-256 to Apple. */
  | 'raw_apple_nonce'

export interface IdTokenVerifierFixture {
  verifier: IdTokenVerifier
  /** A token the provider minted for our app about this person, bound its way to the raw nonce (null: none). */
  valid: (provider: SignInProvider, person: IssuedAssertion, nonce: string | null) => Promise<string>
  /** A token of this provider about someone, bound to the nonce, that fails one check. */
  refused: (provider: SignInProvider, refusal: Refusal, nonce: string) => Promise<string>
  /** The provider's keys cannot be had (it answers errors) and none were fetched before. */
  fail: (provider: SignInProvider) => void
}

/** A person as each provider describes them: Kakao without a verified address, Apple's relay, Google's full profile. */
export function personAt (provider: SignInProvider): IssuedAssertion {
  const tag = randomBytes(4).toString('hex')
  const audience = CLIENT_IDS[provider]
  switch (provider) {
    case 'kakao': return {
      subject: String(3_100_000_000 + Math.floor(Math.random() * 1e8)),
      email: `ryan.${tag}@kakao.com`,
      emailVerified: false,
      name: '라이언',
      audience
    }
    case 'apple': return {
      subject: `001234.${randomBytes(16).toString('hex')}.0912`,
      email: `${tag}x2@privaterelay.appleid.com`,
      emailVerified: true,
      name: null,
      audience
    }
    case 'google': return {
      subject: `1${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      email: `jane.${tag}@gmail.com`,
      emailVerified: true,
      name: 'Jane Doe',
      audience
    }
  }
}

export const newNonce = (): string => randomUUID()

async function assertRefused (
  t: Test,
  verification: Promise<unknown>,
  token: string | null,
  ErrorType: typeof InvalidIdTokenError | typeof ProviderUnavailableError = InvalidIdTokenError
) {
  const error = await verification.then(() => null, (error: unknown) => error)
  t.ok(error instanceof ErrorType, `${ErrorType.name}, got ${inspect(error)}`)
  if (token !== null) {
    t.notOk(inspect(error, { depth: 10, showHidden: true }).includes(token), 'the token is not in the error')
  }
}

/**
 * One contract for every IdTokenVerifier: the memory fake, and the jose adapter against local
 * stand-ins of Kakao, Apple and Google. A token the provider minted for our app, bound to the
 * app's nonce, answers the person; a token failing any check (audience, issuer, expiry, key,
 * nonce, another provider's, a provider not configured) is InvalidIdTokenError, with no token in
 * it; a provider whose keys cannot be had is ProviderUnavailableError.
 */
export function idTokenVerifierContract (
  t: Test,
  make: (t: Test, providers?: readonly SignInProvider[]) => Promise<IdTokenVerifierFixture>
): void {
  for (const provider of SIGN_IN_PROVIDERS) {
    t.test(`${provider}: a token minted for our app with the app's nonce answers the person`, async t => {
      const fixture = await make(t)
      const person = personAt(provider)
      const nonce = newNonce()
      const token = await fixture.valid(provider, person, nonce)
      t.same(await fixture.verifier.verify(provider, { idToken: token, nonce }), { provider, ...person })
    })

    t.test(`${provider}: no nonce in the token and none sent is accepted`, async t => {
      const fixture = await make(t)
      const person = personAt(provider)
      const token = await fixture.valid(provider, person, null)
      t.same(await fixture.verifier.verify(provider, { idToken: token, nonce: null }), { provider, ...person })
    })

    for (const refusal of ['wrong_audience', 'wrong_issuer', 'expired', 'other_key'] as const) {
      t.test(`${provider}: ${refusal.replace('_', ' ')} is InvalidIdTokenError`, async t => {
        const fixture = await make(t)
        const nonce = newNonce()
        const token = await fixture.refused(provider, refusal, nonce)
        await assertRefused(t, fixture.verifier.verify(provider, { idToken: token, nonce }), token)
      })
    }

    t.test(`${provider}: a nonce other than the token's, or none for a token bound to one, is refused`, async t => {
      const fixture = await make(t)
      const nonce = newNonce()
      const token = await fixture.valid(provider, personAt(provider), nonce)
      await assertRefused(t, fixture.verifier.verify(provider, { idToken: token, nonce: newNonce() }), token)
      await assertRefused(t, fixture.verifier.verify(provider, { idToken: token, nonce: null }), token)
      const unbound = await fixture.valid(provider, personAt(provider), null)
      await assertRefused(t, fixture.verifier.verify(provider, { idToken: unbound, nonce }), unbound)
    })

    t.test(`${provider}: a token of another provider is refused`, async t => {
      const fixture = await make(t)
      const other = SIGN_IN_PROVIDERS.find(candidate => candidate !== provider)!
      const nonce = newNonce()
      const token = await fixture.valid(other, personAt(other), nonce)
      await assertRefused(t, fixture.verifier.verify(provider, { idToken: token, nonce }), token)
    })

    t.test(`${provider}: keys that cannot be had are ProviderUnavailableError`, async t => {
      const fixture = await make(t)
      const nonce = newNonce()
      const token = await fixture.valid(provider, personAt(provider), nonce)
      fixture.fail(provider)
      const verification = fixture.verifier.verify(provider, { idToken: token, nonce })
      await assertRefused(t, verification, token, ProviderUnavailableError)
    })
  }

  t.test("apple: the token carries SHA-256 of the app's nonce; one carrying the raw nonce is refused", async t => {
    const fixture = await make(t)
    const nonce = newNonce()
    const raw = await fixture.refused('apple', 'raw_apple_nonce', nonce)
    await assertRefused(t, fixture.verifier.verify('apple', { idToken: raw, nonce }), raw)
    const person = personAt('apple')
    const hashed = await fixture.valid('apple', person, nonce)
    t.same(await fixture.verifier.verify('apple', { idToken: hashed, nonce }), { provider: 'apple', ...person })
  })

  t.test('a provider not configured is listed nowhere and refuses its tokens', async t => {
    const fixture = await make(t, ['kakao', 'google'])
    t.same([...fixture.verifier.providers].sort(), ['google', 'kakao'])
    const nonce = newNonce()
    const token = await fixture.valid('apple', personAt('apple'), nonce)
    await assertRefused(t, fixture.verifier.verify('apple', { idToken: token, nonce }), token)
    const kakao = personAt('kakao')
    const accepted = await fixture.valid('kakao', kakao, nonce)
    t.same(await fixture.verifier.verify('kakao', { idToken: accepted, nonce }), { provider: 'kakao', ...kakao })
  })

  t.test('every provider configured: all three listed', async t => {
    const fixture = await make(t)
    t.same([...fixture.verifier.providers].sort(), ['apple', 'google', 'kakao'])
  })

  t.test('strings that are no token are refused', async t => {
    const fixture = await make(t)
    for (const idToken of ['', 'not-a-token', 'a.b.c', `${randomBytes(20).toString('base64url')}..`]) {
      await assertRefused(t, fixture.verifier.verify('google', { idToken, nonce: null }), null)
    }
  })
}
