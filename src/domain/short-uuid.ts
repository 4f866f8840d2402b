// Public ids are UUIDs written in base 57 (22 characters), the shortuuid form the seeds show.
// Pure arithmetic over the UUID's 128 bits, so no column stores the short form.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const BASE = BigInt(ALPHABET.length)
const LENGTH = 22
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const MAX = (1n << 128n) - 1n

export function toShortUuid (uuid: string): string {
  if (!UUID.test(uuid)) throw new Error('not a lower-case UUID')
  let value = BigInt('0x' + uuid.replaceAll('-', ''))
  let out = ''
  while (value > 0n) {
    out = ALPHABET[Number(value % BASE)] + out
    value /= BASE
  }
  return out.padStart(LENGTH, ALPHABET[0])
}

/** Returns null for anything that is not the short form of some UUID. */
export function fromShortUuid (short: string): string | null {
  if (short.length !== LENGTH) return null
  let value = 0n
  for (const char of short) {
    const digit = ALPHABET.indexOf(char)
    if (digit < 0) return null
    value = value * BASE + BigInt(digit)
  }
  if (value > MAX) return null
  const hex = value.toString(16).padStart(32, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
