import type { FieldIssue } from '../../domain/errors.js'
import type { PhoneNumber } from '../../domain/user.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'

/**
 * Why a login code could never be texted to this number, or null when it can. Sign-up and the
 * code request ask this one question, so nobody signs up with a number that can never log in:
 * a region outside SMS_ALLOWED_COUNTRIES (SMS pumping to premium ranges abroad), or a number
 * that cannot receive a text (a landline, VoIP, toll-free).
 */
export function smsUnreachable (
  phones: PhoneParser,
  allowedCountries: readonly string[],
  phone: PhoneNumber
): Extract<FieldIssue, 'region_not_allowed' | 'not_mobile'> | null {
  if (!allowedCountries.includes(phones.regionOf(phone) ?? '')) return 'region_not_allowed'
  if (!phones.canReceiveSms(phone)) return 'not_mobile'
  return null
}
