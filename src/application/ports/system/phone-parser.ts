import type { PhoneNumber } from '../../../domain/user.js'

export interface PhoneParser {
  /** The number in E.164, reading national forms in the default region; null when it is not a valid number. */
  parse (input: string): PhoneNumber | null
  /** The number's ISO 3166 region (`KR`), or null when it belongs to none (non-geographic). */
  regionOf (phone: PhoneNumber): string | null
  /**
   * Whether the number's type can receive a text message: a mobile number, or one its numbering
   * plan does not tell apart from a landline (the US and Canada). Landlines, VoIP, toll-free,
   * premium-rate, personal and pager numbers cannot.
   */
  canReceiveSms (phone: PhoneNumber): boolean
  /**
   * The number as people write it: the national form in the default region (`010-5550-1234`),
   * the international form elsewhere (`+44 7400 123456`); a stored number no longer valid as it is.
   */
  display (phone: PhoneNumber): string
}
