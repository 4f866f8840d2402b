import type { PhoneNumber } from '../../domain/user.js'

export type OtpCheck = 'ok' | 'wrong' | 'void' | 'none'

export interface OtpIssueOptions { ttlSeconds: number, cooldownSeconds: number }
export interface OtpCheckOptions { maxTries: number, tryWindowSeconds: number }

export interface OtpStore {
  /**
   * Stores a new code hash for the number, replacing any live code, unless the last code for it
   * was issued less than `cooldownSeconds` ago. Answers 0 when stored, else the whole seconds
   * (at least 1) to wait. Does not reset the count of wrong tries.
   */
  issue (phone: PhoneNumber, codeHash: string, options: OtpIssueOptions): Promise<number>
  /**
   * Atomically checks a code. 'ok' consumes it (a second check of the same code answers 'none')
   * and clears the wrong-try count; 'wrong' counts a try; the wrong try that reaches `maxTries`
   * voids the live code and answers 'void', and while the count stays at `maxTries` every check
   * answers 'void'. Wrong tries count per number over `tryWindowSeconds` from the first one, so a
   * new code does not reset them. 'none' when there is no live code (never issued, used, expired).
   */
  check (phone: PhoneNumber, codeHash: string, options: OtpCheckOptions): Promise<OtpCheck>
  /**
   * Takes back a code that never reached the member (the SMS provider failed): removes it, if it is
   * still the live one, and its resend cooldown, so they may ask again at once. Tries are kept.
   */
  withdraw (phone: PhoneNumber, codeHash: string): Promise<void>
}
