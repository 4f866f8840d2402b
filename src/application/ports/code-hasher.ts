import type { PhoneNumber } from '../../domain/user.js'

export interface CodeHasher {
  /**
   * A keyed hash of a one-time code for one number. Keyed, because a plain hash of six digits
   * is reversed in a millisecond by anyone who reads the store.
   */
  hash (phone: PhoneNumber, code: string): string
}
