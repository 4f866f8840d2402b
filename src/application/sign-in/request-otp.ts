import { signInSubject } from '../../domain/code-subject.js'
import { MemberNotFoundError, ValidationError } from '../../domain/errors.js'
import { assertMayLogIn } from '../../domain/user.js'
import type { OneTimeCodes } from '../security/one-time-codes.js'
import type { OtpSettings } from '../security/otp-settings.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import type { SmsSender } from '../ports/outbound/sms-sender.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import { smsUnreachable } from '../security/sms-reach.js'

export interface RequestOtpDeps {
  accounts: AccountRepository
  codes: OneTimeCodes
  sms: SmsSender
  phones: PhoneParser
  settings: OtpSettings
  texts: MemberTexts
}

/** Login step 1: a member gets a fresh 6-digit code by SMS, at most one per cooldown. */
export const makeRequestOtp = ({ accounts, codes, sms, phones, settings, texts }: RequestOtpDeps) =>
  async function requestOtp (input: { mobile: string, client: string }): Promise<void> {
    const phone = phones.parse(input.mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    const unreachable = smsUnreachable(phones, settings.allowedCountries, phone) // the rule sign-up applies
    if (unreachable !== null) throw ValidationError.of('mobile', unreachable)
    const user = await accounts.findByMobile(phone)
    if (user === null && settings.hideUnknownNumbers) return // the same 200 as a member, no SMS
    if (user === null) throw new MemberNotFoundError()
    assertMayLogIn(user)

    const rules = {
      ttlSeconds: settings.ttlSeconds,
      cooldownSeconds: settings.resendCooldownSeconds,
      maxTries: settings.maxTries
    }
    // A failed delivery takes the code back and puts back the one the member already holds, so
    // they may ask again at once (not in 60 s), and a cap's refusal costs them nothing.
    await codes.send(signInSubject(phone), rules, { target: `tel:${phone}`, client: input.client }, async (code) => {
      await sms.send(phone, texts.otpSms(user.language, code, Math.round(settings.ttlSeconds / 60)))
    }, settings.testCodes.get(phone))
  }
