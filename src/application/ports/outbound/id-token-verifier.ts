import type { ProviderAssertion, SignInProvider } from '../../../domain/sign-in-provider.js'

/** What the app sends besides the token: the nonce it gave the provider's SDK (raw, as the app made it). */
export interface IdTokenCheck { idToken: string, nonce: string | null }

export interface IdTokenVerifier {
  /** The providers configured (each by its own settings); the others refuse every token. */
  readonly providers: readonly SignInProvider[]
  /**
   * Verifies an ID token against the provider's published keys (cached as the provider's
   * `Cache-Control` allows, fetched again for an unknown `kid`), its issuer, the apps' client ids
   * as audience, its expiry and the nonce (Apple's as the SHA-256 of the raw nonce). Throws
   * InvalidIdTokenError when any check fails (never saying which to the client), and
   * ProviderUnavailableError when the keys cannot be had within the deadline.
   */
  verify (provider: SignInProvider, check: IdTokenCheck): Promise<ProviderAssertion>
}
