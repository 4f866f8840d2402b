import { PendingApprovalError, RejectedMemberError } from './errors.js'
import type { IdentityConfirmation } from './identity.js'
import type { Language } from './language.js'

export const USER_STATUSES = ['pending', 'approved', 'rejected'] as const
export type UserStatus = typeof USER_STATUSES[number]

export const GENDERS = ['male', 'female', 'other'] as const
export type Gender = typeof GENDERS[number]

/** E.164, produced only by the PhoneParser port. */
export type PhoneNumber = string & { readonly __brand: 'PhoneNumber' }

export interface VerificationFile { key: string, displayOrder: number }

/** The phone door's profile; email-only users have none. */
export interface PhoneProfile {
  username: string
  name: string
  birth: string // YYYY-MM-DD
  gender: Gender
  carrier: string | null
  foreigner: boolean
  uniqueInSite: string | null
  uniqueKey: string | null
  avatarKey: string | null
  profileKey: string | null
  professionId: string | null
  interestIds: string[]
  verificationFiles: VerificationFile[]
}

/** One identity behind both doors: a user has a mobile number, an email + password, or both. */
export interface User {
  id: string // UUID; the public id is its short form
  email: string | null
  passwordHash: string | null
  mobile: PhoneNumber | null
  status: UserStatus
  rejectionReason: string | null
  /** Tokens issued before this instant are refused (account-wide sign-out). */
  tokensValidAfter: Date | null
  /** The language of the member's SMS and pushes (their app's Accept-Language at sign-up or sign-in). */
  language: Language
  createdAt: Date
  /**
   * When the member became approved or rejected: null while pending; an account approved at sign-up
   * was decided when it was created. Verification files are kept for a retention period from it.
   */
  decidedAt: Date | null
  /** When the member proved they read mail at `email`; null until then, and again after a change. */
  emailVerifiedAt: Date | null
}

export type NewUser = Omit<
  User,
  'createdAt' | 'rejectionReason' | 'tokensValidAfter' | 'decidedAt' | 'emailVerifiedAt'
> & {
  profile: PhoneProfile | null
  pushToken: string | null
  /** A verification the provider confirmed, stored with the account (its id becomes used). */
  identity?: IdentityConfirmation | null
}

export interface UserWithProfile extends User { profile: PhoneProfile | null }

/** Pending and rejected members may not start a session (the phone app's codes 1006 / 1005). */
export function assertMayLogIn (user: Pick<User, 'status'>): void {
  if (user.status === 'pending') throw new PendingApprovalError()
  if (user.status === 'rejected') throw new RejectedMemberError()
}

/** Whole years between a YYYY-MM-DD birth date and today (UTC calendar). */
export function ageOn (birth: string, today: Date): number {
  const [year, month, day] = birth.split('-').map(Number) as [number, number, number]
  let age = today.getUTCFullYear() - year
  const beforeBirthday = today.getUTCMonth() + 1 < month ||
    (today.getUTCMonth() + 1 === month && today.getUTCDate() < day)
  if (beforeBirthday) age -= 1
  return age
}
