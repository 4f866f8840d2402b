import { CodeExpiredError, InvalidCodeError, OtpAttemptsExceededError, OtpResendTooSoonError } from '../domain/errors.js'
import type { CodeSubject } from '../domain/code-subject.js'
import { OTP_LENGTH } from './otp-settings.js'
import type { CodeHasher } from './ports/code-hasher.js'
import type { OtpStore } from './ports/otp-store.js'
import type { RandomSource } from './ports/random-source.js'

/** The life of a mailed or texted proof code (not the sign-in SMS, whose settings are the operator's). */
export interface CodeRules { ttlSeconds: number, cooldownSeconds: number, maxTries: number }

/** Codes by mail and for a number change: 15 minutes (mail is slower than SMS), 5 tries, one a minute. */
export const PROOF_CODE_RULES: CodeRules = { ttlSeconds: 15 * 60, cooldownSeconds: 60, maxTries: 5 }

export interface OneTimeCodesDeps { otps: OtpStore, random: RandomSource, codeHasher: CodeHasher }

/**
 * The sign-in code's rules for every other code the service sends: 6 digits from a CSPRNG, kept
 * only as a keyed hash, single use, a resend cooldown, tries per code. A code whose delivery
 * fails is taken back, so the member may ask again at once.
 */
export const makeOneTimeCodes = ({ otps, random, codeHasher }: OneTimeCodesDeps) => ({
  /** Issues a code for the subject and delivers it; throws OtpResendTooSoonError inside the cooldown. `fixed`: a test number's code. */
  async send (subject: CodeSubject, rules: CodeRules, deliver: (code: string) => Promise<void>, fixed?: string): Promise<void> {
    const code = fixed ?? random.digits(OTP_LENGTH)
    const codeHash = codeHasher.hash(subject, code)
    const wait = await otps.issue(subject, codeHash, { ttlSeconds: rules.ttlSeconds, cooldownSeconds: rules.cooldownSeconds })
    if (wait > 0) throw new OtpResendTooSoonError(wait)
    if (fixed !== undefined) return
    try {
      await deliver(code)
    } catch (error) {
      await otps.withdraw(subject, codeHash).catch(() => {})
      throw error
    }
  },

  /** Spends the code when it is the live one; otherwise says why not (400 wrong or none, 429 once void). */
  async prove (subject: CodeSubject, code: string, rules: CodeRules): Promise<void> {
    // A malformed code is still a try: it must not become a free probe.
    const shaped = /^\d{6}$/.test(code.trim()) ? code.trim() : 'malformed'
    const result = await otps.check(subject, codeHasher.hash(subject, shaped), { maxTries: rules.maxTries })
    if (result === 'none') throw new CodeExpiredError()
    if (result === 'wrong') throw new InvalidCodeError()
    if (result === 'void') throw new OtpAttemptsExceededError(rules.cooldownSeconds)
  }
})

export type OneTimeCodes = ReturnType<typeof makeOneTimeCodes>
