import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import type { PhoneParser } from '../../application/ports/phone-parser.js'
import type { PhoneNumber } from '../../domain/user.js'

/**
 * libphonenumber's full metadata, so `01090991005`, `010-9099-1005` and `+821090991005` are one
 * number, and a number that cannot exist (wrong length, unassigned range) is refused.
 */
export function createLibphonenumberParser (defaultRegion: string): PhoneParser {
  return {
    parse (input) {
      if (input.length > 64) return null
      const parsed = parsePhoneNumberFromString(input, defaultRegion as CountryCode)
      return parsed !== undefined && parsed.isValid() ? parsed.number as PhoneNumber : null
    },
    regionOf (phone) {
      return parsePhoneNumberFromString(phone)?.country ?? null
    }
  }
}
