import type { Language } from '../../domain/language.js'
import type { PushMessage } from './push-sender.js'

/** What the service says to a member outside an HTTP answer, in the member's language. */
export interface MemberTexts {
  /** The SMS that carries a sign-in code, valid for `validMinutes`. */
  otpSms (language: Language, code: string, validMinutes: number): string
  /** The push that tells a member how the review of their sign-up ended. */
  statusPush (language: Language, status: 'approved' | 'rejected'): PushMessage
}
