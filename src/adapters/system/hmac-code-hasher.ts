import { createHmac, hkdfSync } from 'node:crypto'
import type { CodeHasher } from '../../application/ports/code-hasher.js'

/** HMAC-SHA256 under a key derived from the service secret, bound to the number. */
export function createHmacCodeHasher (secret: string): CodeHasher {
  const key = Buffer.from(hkdfSync('sha256', secret, 'otp-code-hasher', 'v1', 32))
  return { hash: (phone, code) => createHmac('sha256', key).update(`${phone}:${code}`).digest('hex') }
}
