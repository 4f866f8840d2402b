import { randomBytes } from 'node:crypto'
import type { IdTokenVerifier } from '../../src/application/ports/outbound/id-token-verifier.js'
import { InvalidIdTokenError, ProviderUnavailableError } from '../../src/domain/errors.js'
import { type ProviderAssertion, SIGN_IN_PROVIDERS, type SignInProvider } from '../../src/domain/sign-in-provider.js'

/** What a test says the provider proved: the provider is the one that issues. */
export type IssuedAssertion = Omit<ProviderAssertion, 'provider'>

/** A memory ID token verifier, with what tests set up on it. */
export interface MemoryIdTokenVerifier extends IdTokenVerifier {
  /**
   * An opaque token this provider issued to our app for this person, bound to the nonce the app
   * made (raw; null: the app sent none). The fake accepts it as the real verifier accepts a good token.
   */
  issue (provider: SignInProvider, assertion: IssuedAssertion, nonce: string | null): string
  /** 'unavailable': every verification fails as a provider outage would, until set back to null. */
  failWith (failure: 'unavailable' | null): void
  /** Verifications asked for, answered or not. */
  readonly verifications: number
}

interface Issued { provider: SignInProvider, assertion: IssuedAssertion, nonce: string | null }

/**
 * Accepts the tokens it issued, for the provider that issued them and with the nonce they were
 * bound to (the same nonce rules as the real verifier); any other string is InvalidIdTokenError.
 * Providers left out of `providers` refuse every token, as an unconfigured provider does.
 */
export function createMemoryIdTokenVerifier (
  { providers = SIGN_IN_PROVIDERS }: { providers?: readonly SignInProvider[] } = {}
): MemoryIdTokenVerifier {
  const issued = new Map<string, Issued>()
  let failure: 'unavailable' | null = null
  let verifications = 0
  return {
    providers: [...providers],
    get verifications () { return verifications },

    issue (provider, assertion, nonce) {
      const token = `memory-id-token.${provider}.${randomBytes(18).toString('base64url')}`
      issued.set(token, { provider, assertion: { ...assertion }, nonce })
      return token
    },
    failWith (next) { failure = next },

    async verify (provider, { idToken, nonce }) {
      verifications++
      if (!providers.includes(provider)) throw new InvalidIdTokenError(`${provider} sign-in is not configured`)
      if (failure === 'unavailable') throw new ProviderUnavailableError('memory ID token verifier set to fail')
      const entry = issued.get(idToken)
      if (entry === undefined || entry.provider !== provider) {
        throw new InvalidIdTokenError(`${provider} ID token refused: not issued`)
      }
      // A nonce sent must be the one the token is bound to; a token bound to one needs it sent.
      if (entry.nonce !== nonce) throw new InvalidIdTokenError(`${provider} ID token refused: nonce mismatch`)
      return { provider, ...entry.assertion }
    }
  }
}
