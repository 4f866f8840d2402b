import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max'
import type { PhoneParser } from '../../application/ports/phone-parser.js'
import type { PhoneNumber } from '../../domain/user.js'

/**
 * FIXED_LINE_OR_MOBILE is how the North American plan marks every number (landlines and mobiles
 * share ranges): refusing it would refuse every US and Canadian member. No type at all is refused:
 * with the full metadata a valid number always has one, so none means the number is not valid.
 */
const TEXTABLE: ReadonlySet<NumberType> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE'])

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
    },
    canReceiveSms (phone) {
      return TEXTABLE.has(parsePhoneNumberFromString(phone)?.getType())
    }
  }
}
