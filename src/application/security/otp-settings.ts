import type { PhoneNumber } from '../../domain/user.js'

export interface OtpSettings {
  ttlSeconds: number
  resendCooldownSeconds: number
  /** Wrong tries of one code before it is void; a new code gets fresh tries. */
  maxTries: number
  /** SMS_TEST_OTP: these numbers get this fixed code and no SMS (store reviewers, load tests). */
  testCodes: ReadonlyMap<PhoneNumber, string>
  /** SMS_ALLOWED_COUNTRIES: codes are texted only to numbers of these regions (SMS pumping to premium ranges). */
  allowedCountries: readonly string[]
  /** OTP_HIDE_UNKNOWN_NUMBERS: unknown numbers get the members' 200 (and no SMS) instead of the phone app's 404. */
  hideUnknownNumbers: boolean
}

export const OTP_LENGTH = 6
