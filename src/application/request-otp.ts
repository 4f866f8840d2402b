import { MemberNotFoundError, OtpResendTooSoonError, ThrottledError, ValidationError } from '../domain/errors.js'
import { assertMayLogIn } from '../domain/user.js'
import { OTP_LENGTH, type OtpSettings } from './otp-settings.js'
import type { CodeHasher } from './ports/code-hasher.js'
import type { HitCounter } from './ports/hit-counter.js'
import type { OtpStore } from './ports/otp-store.js'
import type { PhoneParser } from './ports/phone-parser.js'
import type { RandomSource } from './ports/random-source.js'
import type { SmsSender } from './ports/sms-sender.js'
import type { UserRepository } from './ports/user-repository.js'

export interface RequestOtpDeps {
  users: UserRepository
  otps: OtpStore
  sms: SmsSender
  phones: PhoneParser
  random: RandomSource
  codeHasher: CodeHasher
  settings: OtpSettings
  hits: HitCounter
}

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** Login step 1: a member gets a fresh 6-digit code by SMS, at most one per cooldown. */
export const makeRequestOtp = ({ users, otps, sms, phones, random, codeHasher, settings, hits }: RequestOtpDeps) =>
  async function requestOtp (input: { mobile: string }): Promise<void> {
    const phone = phones.parse(input.mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    if (!settings.allowedCountries.includes(phones.regionOf(phone) ?? '')) throw ValidationError.of('mobile', 'region_not_allowed')
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
      await withinCap(hits, `sms:day:${phone}`, DAY_MS, settings.dailyCapPerNumber)
      await withinCap(hits, 'sms:hour', HOUR_MS, settings.hourlyCap)
      await sms.send(phone, `[인증번호] ${code} 를 입력해주세요. (${Math.round(settings.ttlSeconds / 60)}분간 유효)`)
    } catch (error) {
      // The member never got this code: take it back so they may ask again at once (not in 60 s),
      // or, capped, so the refusal is the cap's and not a cooldown's.
      await otps.withdraw(phone, codeHash).catch(() => {})
      throw error
    }
  }

async function withinCap (hits: HitCounter, key: string, windowMs: number, cap: number): Promise<void> {
  const { count, resetInMs } = await hits.hit(key, windowMs)
  if (count > cap) throw new ThrottledError(Math.max(1, Math.ceil(resetInMs / 1000)))
}
