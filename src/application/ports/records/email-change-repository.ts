import type { PhoneNumber } from '../../../domain/user.js'

/** A member's address: a change staged until its code comes back, and the proof they read mail there. */
export interface EmailChangeRepository {
  /**
   * Holds `email` (normalised) as the address the member is moving to, with the password that
   * becomes theirs with it (null: they keep their own), until confirmEmail. Replaces an earlier
   * pending one. Throws DuplicateValueError('email') when another account holds the address;
   * false when there is no such member.
   */
  stageEmail(id: string, email: string, passwordHash: string | null): Promise<boolean>
  /** The address staged by stageEmail and not yet confirmed, or null. */
  findPendingEmail(id: string): Promise<string | null>
  /**
   * The member proved they read mail at the pending address (moved to `email`, with its staged
   * password) or, with none pending, at their current one; either way `emailVerifiedAt` = `at`.
   * Answers the address now verified and the one it replaced (null: none, or unchanged), or null
   * when there is no member or no address to verify. Throws DuplicateValueError('email') when
   * another account took the pending address in the meantime (then nothing changes).
   */
  confirmEmail(id: string, at: Date): Promise<{ email: string, previous: string | null } | null>
  /** The member proved their current address at `at` (a pending change, if any, stays pending). */
  markEmailVerified(id: string, at: Date): Promise<void>
  /**
   * The owner of the address claims the account (a password reset proved it): marks the address
   * proven and, when it was not proven before, removes in the same step every other way in added
   * before the proof (the number, an address change still waiting for its code). Answers what it
   * removed; null when there is no such member.
   */
  claimByEmail(
    id: string,
    at: Date
  ): Promise<{ removedMobile: PhoneNumber | null, removedPendingEmail: string | null } | null>
}
