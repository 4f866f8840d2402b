import type { IdentityConfirmation } from '../../../domain/identity.js'

/**
 * The verified identities members hold (one per member at most) and the verification ids ever
 * used. A used id stays used after its member is deleted: one verification makes at most one
 * account. The sign-up stores its confirmation with the account (`AccountRepository.create`).
 */
export interface IdentityConfirmations {
  /**
   * Attaches a confirmation to an existing member and, in the same write, sets the profile's
   * `uniqueKey` and `uniqueInSite` to the verified CI and DI and fills a missing carrier. Throws
   * DuplicateValueError('identity_verification_id') when the id was used before, or when the member
   * already holds a confirmation; false when there is no such member (or no profile).
   */
  attach (memberId: string, confirmation: IdentityConfirmation, carrier: string | null): Promise<boolean>
  /** The member's confirmation, or null. */
  find (memberId: string): Promise<IdentityConfirmation | null>
  /** The members, other than `exceptId`, whose confirmed CI is `ci`: oldest account first. */
  holdersOfCi (ci: string, exceptId?: string): Promise<string[]>
}
