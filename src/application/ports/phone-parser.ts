import type { PhoneNumber } from '../../domain/user.js'

export interface PhoneParser {
  /** The number in E.164, reading national forms in the default region; null when it is not a valid number. */
  parse (input: string): PhoneNumber | null
  /** The number's ISO 3166 region (`KR`), or null when it belongs to none (non-geographic). */
  regionOf (phone: PhoneNumber): string | null
}
