import type { LinkedIdentity, SignInProvider } from '../../../domain/sign-in-provider.js'

/** Members' identities at Kakao, Apple and Google (PostgreSQL or PGlite). */
export interface LinkedIdentities {
  /**
   * Links the identity to its member. DuplicateValueError('identity') when the (provider, subject)
   * is already linked (to this member or another); false, writing nothing, when there is no such member.
   */
  link (identity: LinkedIdentity): Promise<boolean>
  find (provider: SignInProvider, subject: string): Promise<LinkedIdentity | null>
  /** The member's identities, oldest link first. */
  listByMember (memberId: string): Promise<LinkedIdentity[]>
  /** Records a sign-in with the identity, and what the provider now asserts of the email. */
  touch (
    provider: SignInProvider,
    subject: string,
    at: Date,
    email: { email: string | null, verified: boolean }
  ): Promise<void>
  /**
   * Keeps the provider's refresh token for the identity (Apple's, from the code exchange), only to
   * revoke it when the identity is unlinked or its member deleted (ProviderRevocations).
   */
  keepRefreshToken (
    provider: SignInProvider,
    subject: string,
    token: { token: string, clientId: string }
  ): Promise<void>
  /**
   * Removes one of the member's identities and, in the same write, queues its kept refresh token
   * for revocation; false when the member holds no such identity.
   */
  unlink (memberId: string, provider: SignInProvider, subject: string): Promise<boolean>
}
