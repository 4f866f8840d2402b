import type { PhoneNumber } from '../domain/user.js'

export interface OtpSettings {
  ttlSeconds: number
  resendCooldownSeconds: number
  maxTries: number
  tryWindowSeconds: number
  /** SMS_TEST_OTP: these numbers get this fixed code and no SMS (store reviewers, load tests). */
  testCodes: ReadonlyMap<PhoneNumber, string>
}

export const OTP_LENGTH = 6
