import { networkKey } from '../../domain/client-network.js'
import {
  CodeExpiredError,
  InvalidCodeError,
  InvalidOtpError,
  OtpAttemptsExceededError,
  OtpExpiredError,
  OtpResendTooSoonError
} from '../../domain/errors.js'
import type { CodeSubject } from '../../domain/code-subject.js'
import type { AbuseLimits, CodeTarget } from './abuse-limits.js'
import { OTP_LENGTH } from './otp-settings.js'
import type { CodeHasher } from '../ports/system/code-hasher.js'
import type { OtpStore } from '../ports/shared-state/otp-store.js'
import type { RandomSource } from '../ports/system/random-source.js'

/** The life of a mailed or texted proof code (not the sign-in SMS, whose settings are the operator's). */
export interface CodeRules { ttlSeconds: number, cooldownSeconds: number, maxTries: number }

/** Codes by mail and for a number change: 15 minutes (mail is slower than SMS), 5 tries, one a minute. */
export const PROOF_CODE_RULES: CodeRules = { ttlSeconds: 15 * 60, cooldownSeconds: 60, maxTries: 5 }

/**
 * How a wrong or missing code is refused: in the phone door's words for a texted code (401
 * `invalid_otp`, `otp_expired`), in the email door's for a mailed one (400 `INVALID_CODE`,
 * `CODE_EXPIRED`). Either way a code void for the client is 429 `otp_attempts_exceeded`.
 */
export type CodeWords = 'sms' | 'mail'

export interface OneTimeCodesDeps { otps: OtpStore, random: RandomSource, codeHasher: CodeHasher, limits: AbuseLimits }

/** Who asked for a code, and where it goes: the caps and the code's owner are theirs. */
export interface CodeRequest { target: CodeTarget, client: string }

/**
 * The sign-in code's rules for every other code the service sends: 6 digits from a CSPRNG, kept
 * only as a keyed hash, single use, a resend cooldown, tries per code. A code whose delivery
 * fails is taken back, so the member may ask again at once. A code belongs to the network of the
 * client that asked for it (domain/client-network.ts): the otp store counts that network's wrong
 * tries apart from everyone else's, so strangers can never void the code the member holds; and
 * a stranger's request never replaces it (only the network that asked, or a client known for the
 * target, may), so strangers cannot swap the member's code for one of theirs either.
 */
export const makeOneTimeCodes = ({ otps, random, codeHasher, limits }: OneTimeCodesDeps) => ({
  /**
   * Issues a code for the subject, owned by the asking client's network, counts it against the
   * caps (abuse-limits.ts's admitCode) and delivers it; throws OtpResendTooSoonError inside the
   * cooldown or while another network's code is live, ThrottledError over a cap (the code taken
   * back). `fixed`: a test number's code, neither counted nor delivered.
   */
  async send (
    subject: CodeSubject,
    rules: CodeRules,
    { target, client }: CodeRequest,
    deliver: (code: string) => Promise<void>,
    fixed?: string
  ): Promise<void> {
    const code = fixed ?? random.digits(OTP_LENGTH)
    const codeHash = codeHasher.hash(subject, code)
    const known = await limits.isKnown(target, client)
    const wait = await otps.issue(subject, codeHash, {
      ttlSeconds: rules.ttlSeconds,
      cooldownSeconds: rules.cooldownSeconds,
      owner: networkKey(client),
      replaceOthers: known
    })
    if (wait > 0) throw new OtpResendTooSoonError(wait)
    if (fixed !== undefined) return
    try {
      // Counted only past the cooldown: a refused resend is no text and costs no cap.
      await limits.admitCode(target, client, known)
      await deliver(code)
    } catch (error) {
      await otps.withdraw(subject, codeHash).catch(() => {})
      throw error
    }
  },

  /**
   * Spends the code when it is the live one and answers true; otherwise says why not, in the
   * door's words: wrong or none, or 429 once void for the client's side (see OtpStore.check).
   * Called inside the abuse limits' guard, which records who proved what.
   */
  async prove (
    subject: CodeSubject,
    input: { code: string, client: string },
    rules: CodeRules,
    words: CodeWords
  ): Promise<true> {
    // A malformed code is still a try: it must not become a free probe.
    const shaped = /^\d{6}$/.test(input.code.trim()) ? input.code.trim() : 'malformed'
    const result = await otps.check(subject, codeHasher.hash(subject, shaped), {
      maxTries: rules.maxTries,
      client: networkKey(input.client)
    })
    if (result === 'none') throw words === 'sms' ? new OtpExpiredError() : new CodeExpiredError()
    if (result === 'wrong') throw words === 'sms' ? new InvalidOtpError() : new InvalidCodeError()
    if (result === 'void') throw new OtpAttemptsExceededError(rules.cooldownSeconds)
    return true
  }
})

export type OneTimeCodes = ReturnType<typeof makeOneTimeCodes>
