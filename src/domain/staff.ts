import { ValidationError } from './errors.js'

/**
 * The people who review members in the console. They are not members: a separate table, their
 * own sign-in (password and TOTP), and nothing a member token can reach.
 */
export const STAFF_ROLES = ['reviewer', 'admin'] as const

/** `reviewer`: the queue, member pages, approve and reject. `admin`: also staff and catalogs. */
export type StaffRole = typeof STAFF_ROLES[number]

export interface StaffMember {
  /** A random UUID, lower-case. */
  id: string
  /** Normalised (parseEmail): lower-case, NFKC, ASCII domain; unique among staff. */
  email: string
  /** argon2id. */
  passwordHash: string
  role: StaffRole
  /** The shared TOTP secret in base32 (RFC 4648). */
  totpSecret: string
  /**
   * False until the first sign-in with a correct code: the console shows the enrolment QR only
   * then, so a secret once confirmed is never displayed again.
   */
  totpEnrolled: boolean
  /** A disabled member cannot sign in; staff are never deleted, so the audit trail keeps a name. */
  disabled: boolean
  /**
   * The password is a one-time one (an admin's reset, or generated when the account was added):
   * once signed in, the console opens nothing but the change-password page until it is changed.
   */
  mustChangePassword: boolean
  createdAt: Date
}

/** What creating a staff member takes; the repository gives the id, enrolment and disabled start false. */
export interface NewStaffMember {
  email: string
  passwordHash: string
  role: StaffRole
  totpSecret: string
  /** True for a generated password the member must replace at the first sign-in; false when left out. */
  mustChangePassword?: boolean
  /** From the Clock port, so every adapter stores the same instant. */
  createdAt: Date
}

export function isStaffRole (value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value)
}

/** A role as typed (a form, a command line); anything else is `invalid_choice`. */
export function parseStaffRole (input: string, field = 'role'): StaffRole {
  if (!isStaffRole(input)) throw ValidationError.of(field, 'invalid_choice')
  return input
}
