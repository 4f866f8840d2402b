import type { Language } from '../../../domain/language.js'
import type { PhoneNumber } from '../../../domain/user.js'
import type { PushMessage } from './push-sender.js'

/** One mail's words: the same content as plain text and as simple HTML (every interpolated value escaped). */
export interface MailContent { subject: string, text: string, html: string }

/** A code that undoes a change of sign-in method, sent to the method replaced; it works once, for `validDays`. */
export interface UndoNotice { code: string, validDays: number }

/** What the service says to a member outside an HTTP answer, in the member's language. */
export interface MemberTexts {
  /** The SMS that carries a sign-in code, valid for `validMinutes`. */
  otpSms(language: Language, code: string, validMinutes: number): string
  /** The push that tells a member how the review of their sign-up ended. */
  statusPush(language: Language, status: 'approved' | 'rejected'): PushMessage
  /** The mail that carries a password-reset code, valid for `validMinutes`; says that ignoring it changes nothing. */
  passwordResetMail(language: Language, code: string, validMinutes: number): MailContent
  /** The mail that carries the code proving the member holds this address, valid for `validMinutes`. */
  emailVerificationMail(language: Language, code: string, validMinutes: number): MailContent
  /**
   * The notice to the previous address once the account's sign-in email has been changed to
   * `newEmail` (shown masked: the first character and the domain), so a member whose account was
   * taken over hears of it where they still read mail, with the code that puts this address back
   * and signs out every device.
   */
  emailChangedMail(language: Language, newEmail: string, undo: UndoNotice): MailContent
  /**
   * The notice to the address whose owner just claimed the account by a password reset: the ways
   * in someone added before the address was proven were removed (the number by its last four
   * digits, an address change that was waiting, masked).
   */
  signInMethodsRemovedMail(
    language: Language,
    removed: { mobile: PhoneNumber | null, pendingEmail: string | null }
  ): MailContent
  /**
   * The SMS notice to the previous number once the account's number has been changed to
   * `newMobile` (only its last four digits shown), with the code that puts this number back and
   * signs out every device.
   */
  mobileChangedSms(language: Language, newMobile: PhoneNumber, undo: UndoNotice): string
  /**
   * The SMS notice to the previous number once staff moved the account to `newMobile` after
   * checking the member's identity (only its last four digits shown). No undo code: the member
   * lost this number, and whoever holds it now must not get the account back with it.
   */
  mobileChangedByStaffSms(language: Language, newMobile: PhoneNumber): string
}
