import type { NewStaffMember, StaffMember } from '../../../domain/staff.js'

/**
 * Staff accounts. Staff are never deleted (disabled instead), so an audit entry's staff id always
 * names someone. Emails are given already normalised.
 */
export interface StaffRepository {
  /**
   * Stores a new staff member under a fresh id (mustChangePassword false unless given); throws
   * DuplicateValueError('email') when the email is taken.
   */
  create (staff: NewStaffMember): Promise<StaffMember>
  /** `email` must already be normalised. */
  findByEmail (email: string): Promise<StaffMember | null>
  /** Null for an unknown id, including a string that is not a uuid. */
  findById (id: string): Promise<StaffMember | null>
  /** Every staff member, disabled ones too, oldest first (ties by id). */
  list (): Promise<StaffMember[]>
  /** Disables or re-enables; false when there is no such staff member. */
  setDisabled (id: string, disabled: boolean): Promise<boolean>
  /**
   * Replaces the TOTP secret, marks the member not enrolled (the console shows the new QR) and
   * forgets the last accepted time step; false when there is no such staff member.
   */
  resetSecondFactor (id: string, newSecret: string): Promise<boolean>
  /** Marks the second factor enrolled (after the first correct code); false when there is no such staff member. */
  confirmEnrolment (id: string): Promise<boolean>
  /**
   * Accepts a TOTP time step only if it is later than the last one accepted for this member, and
   * records it, atomically: a code is good once, even when the same code arrives twice at once
   * (of concurrent calls with one step exactly one answers true). False for an unknown id.
   */
  useTotpStep (id: string, step: number): Promise<boolean>
  /**
   * Replaces the password hash and, in the same write, whether it must be changed at the next
   * sign-in (true for an admin's one-time password, false for one the member chose); false when
   * there is no such staff member.
   */
  setPassword (id: string, passwordHash: string, mustChange: boolean): Promise<boolean>
}
