import { MemberNotFoundError, OtpResendTooSoonError, ValidationError } from '../domain/errors.js'
import { assertMayLogIn } from '../domain/user.js'
import type { AbuseLimits } from './abuse-limits.js'
import { OTP_LENGTH, type OtpSettings } from './otp-settings.js'
import type { CodeHasher } from './ports/code-hasher.js'
import type { MemberTexts } from './ports/member-texts.js'
import type { OtpStore } from './ports/otp-store.js'
import type { PhoneParser } from './ports/phone-parser.js'
import type { RandomSource } from './ports/random-source.js'
import type { SmsSender } from './ports/sms-sender.js'
import type { UserRepository } from './ports/user-repository.js'
import { smsUnreachable } from './sms-reach.js'

export interface RequestOtpDeps {
  users: UserRepository
  otps: OtpStore
  sms: SmsSender
  phones: PhoneParser
  random: RandomSource
  codeHasher: CodeHasher
  settings: OtpSettings
  limits: AbuseLimits
  texts: MemberTexts
}

/** Login step 1: a member gets a fresh 6-digit code by SMS, at most one per cooldown. */
export const makeRequestOtp = ({ users, otps, sms, phones, random, codeHasher, settings, limits, texts }: RequestOtpDeps) =>
  async function requestOtp (input: { mobile: string, client: string }): Promise<void> {
    const phone = phones.parse(input.mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    const unreachable = smsUnreachable(phones, settings.allowedCountries, phone) // the rule sign-up applies
    if (unreachable !== null) throw ValidationError.of('mobile', unreachable)
    const user = await users.findByMobile(phone)
    if (user === null && settings.hideUnknownNumbers) return // the same 200 as a member, no SMS
    if (user === null) throw new MemberNotFoundError()
    assertMayLogIn(user)

    const testCode = settings.testCodes.get(phone)
    const code = testCode ?? random.digits(OTP_LENGTH)
    const codeHash = codeHasher.hash(phone, code)
    const wait = await otps.issue(phone, codeHash, { ttlSeconds: settings.ttlSeconds, cooldownSeconds: settings.resendCooldownSeconds })
    if (wait > 0) throw new OtpResendTooSoonError(wait)
    if (testCode !== undefined) return
    try {
      // Counted only past the cooldown: a refused resend is no text and costs no cap.
      await limits.admitSms(phone, input.client)
      await sms.send(phone, texts.otpSms(user.language, code, Math.round(settings.ttlSeconds / 60)))
    } catch (error) {
      // The member never got this code: take it back, and put back the code they already hold,
      // so they may ask again at once (not in 60 s), and a cap's refusal costs them nothing.
      await otps.withdraw(phone, codeHash).catch(() => {})
      throw error
    }
  }
