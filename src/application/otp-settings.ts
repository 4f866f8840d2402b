import type { PhoneNumber } from '../domain/user.js'

export interface OtpSettings {
  ttlSeconds: number
  resendCooldownSeconds: number
  maxTries: number
  tryWindowSeconds: number
  /** SMS_TEST_OTP: these numbers get this fixed code and no SMS (store reviewers, load tests). */
  testCodes: ReadonlyMap<PhoneNumber, string>
  /** SMS_ALLOWED_COUNTRIES: codes are texted only to numbers of these regions (SMS pumping to premium ranges). */
  allowedCountries: readonly string[]
  /** Codes texted to one number per day, and to everyone per hour: caps on what a pumping attack can cost. */
  dailyCapPerNumber: number
  hourlyCap: number
  /** OTP_HIDE_UNKNOWN_NUMBERS: unknown numbers get the members' 200 (and no SMS) instead of seed 1's 404. */
  hideUnknownNumbers: boolean
}

export const OTP_LENGTH = 6
