import { randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import type { TotpAuthenticator } from '../../application/ports/system/totp-authenticator.js'

const ISSUER = 'mobile-auth'
const PERIOD_SECONDS = 30
const DIGITS = 6
// RFC 4226 asks for at least 128 bits and recommends 160, the size of a SHA-1 block's key.
const SECRET_BYTES = 20
// One step either side: a phone's clock a little off, or a code typed as it turned over.
const WINDOW = 1

/**
 * TOTP through `otpauth` (RFC 4226/6238, constant-time comparison), so none of the HMAC
 * truncation or base32 handling is ours. SHA-1, 6 digits, 30 s: the parameters every
 * authenticator app assumes, some ignoring anything else the URI says.
 */
export function createOtpauthTotpAuthenticator (): TotpAuthenticator {
  const totp = (secret: string, label = 'staff'): TOTP => new TOTP({
    issuer: ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret)
  })

  return {
    newSecret: () => new Secret({ buffer: toArrayBuffer(randomBytes(SECRET_BYTES)) }).base32,

    uri: (secret, label) => totp(secret, label).toString(),

    matchStep (secret, code, at) {
      // Apps show the code as "123 456"; anything but six digits then is not a code.
      const digits = code.replace(/\s/g, '')
      if (!/^\d{6}$/.test(digits)) return null
      const delta = totp(secret).validate({ token: digits, timestamp: at.getTime(), window: WINDOW })
      return delta === null ? null : TOTP.counter({ period: PERIOD_SECONDS, timestamp: at.getTime() }) + delta
    }
  }
}

/** The bytes alone: a small Buffer may be a view into a larger shared pool. */
function toArrayBuffer (bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}
