import type { SignInProvider } from '../../../domain/sign-in-provider.js'

/** A provider token to revoke: queued when its member is deleted or the identity unlinked. */
export interface DueRevocation {
  id: string
  provider: SignInProvider
  token: string
  /** The client the token was issued to (Apple's revocation names it). */
  clientId: string
}

/**
 * Tokens to revoke at providers (Apple's refresh tokens), kept until the provider confirms: a
 * deletion goes ahead when Apple is down, and the sweeper retries. `AccountRepository.delete` and
 * `LinkedIdentities.unlink` queue an identity's token in the same transaction as the removal.
 */
export interface ProviderRevocations {
  due (now: Date, limit: number): Promise<DueRevocation[]>
  complete (id: string): Promise<void>
  postpone (id: string, notBefore: Date): Promise<void>
}
