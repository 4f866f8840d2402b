/**
 * The platform accounts members sign in with from the apps' native SDKs: Kakao (the first button
 * on a Korean sign-in screen), Apple (required beside any third-party sign-in on iOS) and Google.
 */
export const SIGN_IN_PROVIDERS = ['kakao', 'apple', 'google'] as const
export type SignInProvider = typeof SIGN_IN_PROVIDERS[number]

export const isSignInProvider = (value: string): value is SignInProvider =>
  (SIGN_IN_PROVIDERS as readonly string[]).includes(value)

/** What a provider's ID token, once its signature, issuer, audience, expiry and nonce are checked, says. */
export interface ProviderAssertion {
  provider: SignInProvider
  /** The provider's stable id of the person (`sub`): the identity is (provider, subject). */
  subject: string
  /** Lower-cased as the provider gave it; Apple's private relay addresses are kept as they are. */
  email: string | null
  /** The provider says it proved the person reads mail at `email`. */
  emailVerified: boolean
  /** A name, where the provider gives one (Apple: only at the first sign-in, from the app). */
  name: string | null
  /** The client id the token was issued to (one of the apps'): Apple's code exchange names it. */
  audience: string
}

/** A member's sign-in identity at a provider. */
export interface LinkedIdentity {
  memberId: string
  provider: SignInProvider
  subject: string
  email: string | null
  emailVerified: boolean
  name: string | null
  linkedAt: Date
  lastUsedAt: Date
}
