import type { VerifiedIdentity } from '../../../domain/identity.js'

/** What the provider answered about one verification id. */
export type IdentityLookup =
  | { found: true, identity: VerifiedIdentity }
  /**
   * `not_found`: no verification has this id; `not_verified`: it was started but not completed
   * (or it failed); `other_store`: it belongs to a store this service's secret may not read.
   */
  | { found: false, reason: 'not_found' | 'not_verified' | 'other_store' }

export interface IdentityVerifier {
  /**
   * Reads one verification from the provider. Throws IdentityUnavailableError when the provider
   * does not answer within the adapter's deadline, fails, or refuses our credentials (never hangs,
   * never puts the secret, a CI or a DI in the error).
   */
  lookUp (verificationId: string): Promise<IdentityLookup>
}
