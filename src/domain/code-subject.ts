import type { PhoneNumber } from './user.js'

/**
 * Whom a one-time code is for and what it proves: the key under which the code store keeps it and
 * to which the code hasher binds it, so a code proves one thing only.
 *
 * A phone number is the subject of its own sign-in codes, bare, as it was before codes had other
 * purposes: the Redis keys (`otp:{+8210…}:live`) and the hashes of codes issued by an earlier
 * version stay the same, so a code texted just before a deploy still works after it. Every other
 * purpose is a `purpose:` prefix; E.164 starts with `+` and holds no colon, so no two purposes
 * ever share a subject, and a code of one never answers for another.
 */
export type CodeSubject = PhoneNumber | PurposeSubject

type PurposeSubject = string & { readonly __brand: 'CodeSubject' }

/** The SMS sign-in code of this number (the phone door's login): the number itself. */
export const signInSubject = (phone: PhoneNumber): CodeSubject => phone

/**
 * The password-reset code mailed to this address (normalised, as parseEmail gives it). Keyed by the
 * address, not the member: forgot-password answers alike for unknown addresses, and the reset
 * request names only the address.
 */
export const passwordResetSubject = (email: string): CodeSubject => `reset:${email}` as PurposeSubject

/**
 * The code mailed to prove this member reads mail at this address (their current one, or the one
 * they are moving to). Bound to the address too: a code mailed to an address the member has since
 * replaced never verifies the new one.
 */
export const emailVerificationSubject = (userId: string, email: string): CodeSubject =>
  `verify:${userId}:${email}` as PurposeSubject

/** The code texted to prove this member holds `phone` before it becomes their number. */
export const mobileChangeSubject = (userId: string, phone: PhoneNumber): CodeSubject =>
  `mobile:${userId}:${phone}` as PurposeSubject

/**
 * The subject every undo code is hashed under: one for all, since the undo route names no member
 * (the code alone finds its record, by its hash).
 */
export const signInUndoSubject: CodeSubject = 'undo:sign-in-method' as PurposeSubject
