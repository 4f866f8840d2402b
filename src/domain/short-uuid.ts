// Public ids are UUIDs written in base 57 (22 characters), the shortuuid form the apps' API documents show.
// Pure arithmetic over the UUID's 128 bits, so no column stores the short form. The 128 bits are
// four 32-bit words in plain numbers (every intermediate stays below 2^53): BigInt arithmetic made
// these two functions 6% of a member read's CPU (bench/profile.ts, GET /api/users/me/).
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const BASE = ALPHABET.length
const LENGTH = 22 // 57^22 > 2^128
const WORD = 2 ** 32
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Each character's digit, -1 for characters outside the alphabet (indexed by char code < 128). */
const DIGITS = Int8Array.from({ length: 128 }, (_, code) => ALPHABET.indexOf(String.fromCharCode(code)))

export function toShortUuid (uuid: string): string {
  if (!UUID.test(uuid)) throw new Error('not a lower-case UUID')
  const words = [
    parseInt(uuid.slice(0, 8), 16),
    parseInt(uuid.slice(9, 13) + uuid.slice(14, 18), 16),
    parseInt(uuid.slice(19, 23) + uuid.slice(24, 28), 16),
    parseInt(uuid.slice(28), 16)
  ]
  const out: string[] = new Array(LENGTH)
  // Long division by 57, most significant word first; each remainder is the next digit from the right.
  for (let position = LENGTH - 1; position >= 0; position--) {
    let remainder = 0
    for (let i = 0; i < 4; i++) {
      const current = remainder * WORD + words[i]!
      const quotient = Math.floor(current / BASE)
      remainder = current - quotient * BASE
      words[i] = quotient
    }
    out[position] = ALPHABET[remainder]!
  }
  return out.join('')
}

/** Returns null for anything that is not the short form of some UUID. */
export function fromShortUuid (short: string): string | null {
  if (short.length !== LENGTH) return null
  const words = [0, 0, 0, 0]
  for (let position = 0; position < LENGTH; position++) {
    const code = short.charCodeAt(position)
    let carry = code < 128 ? DIGITS[code]! : -1
    if (carry < 0) return null
    // words = words * 57 + digit, least significant word first.
    for (let i = 3; i >= 0; i--) {
      const current = words[i]! * BASE + carry
      carry = Math.floor(current / WORD)
      words[i] = current - carry * WORD
    }
    if (carry > 0) return null // past 2^128 - 1: no UUID has this form
  }
  const hex = words.map((word) => word.toString(16).padStart(8, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
