import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max'
import type { PhoneParser } from '../../application/ports/system/phone-parser.js'
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
export function createLibphonenumberParser (defaultRegion: string, { remember = 10_000 } = {}): PhoneParser {
  // Every answer depends on the input alone, and a member's number is parsed on the code request
  // and again on the login: the last `remember` answers of each kind are kept (parsing was 7% of a
  // code login's CPU, bench/profile.ts).
  return {
    parse: memoized(remember, (input: string) => {
      if (input.length > 64) return null
      const parsed = parsePhoneNumberFromString(input, defaultRegion as CountryCode)
      return parsed !== undefined && parsed.isValid() ? (parsed.number as PhoneNumber) : null
    }),
    regionOf: memoized(remember, (phone: PhoneNumber) => parsePhoneNumberFromString(phone)?.country ?? null),
    canReceiveSms: memoized(remember, (phone: PhoneNumber) =>
      TEXTABLE.has(parsePhoneNumberFromString(phone)?.getType())
    ),
    display: memoized(remember, (phone: PhoneNumber) => {
      const parsed = parsePhoneNumberFromString(phone)
      if (parsed === undefined) return phone
      return parsed.country === defaultRegion ? parsed.formatNational() : parsed.formatInternational()
    })
  }
}

/** `compute` with its last `limit` answers kept; the oldest is forgotten first. */
function memoized<K, V> (limit: number, compute: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>()
  return (key) => {
    if (answers.has(key)) return answers.get(key) as V
    const answer = compute(key)
    if (answers.size >= limit) answers.delete(answers.keys().next().value as K)
    answers.set(key, answer)
    return answer
  }
}
