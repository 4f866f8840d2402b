import type { CodeSubject } from '../../../domain/code-subject.js'

export type OtpCheck = 'ok' | 'wrong' | 'void' | 'none'

/**
 * `owner`: the network that asked for the code (domain/client-network.ts's networkKey).
 * `replaceOthers`: whether this request may replace a live code another network asked for.
 */
export interface OtpIssueOptions { ttlSeconds: number, cooldownSeconds: number, owner: string, replaceOthers: boolean }
/** `client`: the network the try comes from. */
export interface OtpCheckOptions { maxTries: number, client: string }

/**
 * One-time codes, each live code, cooldown and tries kept per subject (a number's sign-in codes, a
 * password reset, a verification…, see CodeSubject); subjects never see each other's codes.
 */
export interface OtpStore {
  /**
   * Stores a new code hash for the subject, with fresh tries, unless the last code for it was
   * issued less than `cooldownSeconds` ago, or a live code another network asked for stands and
   * `replaceOthers` is false (then until that code is used or expires). The code it replaces is
   * kept aside (with its tries and remaining life) until `withdraw` or its own expiry. Answers 0
   * when stored, else the whole seconds (at least 1) to wait.
   */
  issue (subject: CodeSubject, codeHash: string, options: OtpIssueOptions): Promise<number>
  /**
   * Atomically checks a code. 'ok' consumes it (a second check of the same code answers 'none').
   * A code belongs to the network that asked for it: its wrong tries, and those of all other
   * networks together, are two separate counts of `maxTries` each, so strangers can never void
   * the owner's code. 'wrong' counts a try in the client's count; the wrong try that reaches
   * `maxTries` answers 'void', and from then on every check from that side answers 'void' without
   * comparing (a void side is no oracle) until a new code is issued or it would have expired.
   * 'none' when there is no live code (never issued, used, expired).
   */
  check (subject: CodeSubject, codeHash: string, options: OtpCheckOptions): Promise<OtpCheck>
  /**
   * Takes back a code that never reached the member (the SMS or mail provider failed, a cap
   * refused it): if it is still the live one, removes it and its resend cooldown, and puts back
   * the code it replaced, with that code's tries and life, so a refused request never costs the
   * member the code they already have.
   */
  withdraw (subject: CodeSubject, codeHash: string): Promise<void>
}
