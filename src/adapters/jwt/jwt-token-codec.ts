import { createHmac, createSecretKey } from 'node:crypto'
import { createVerifier } from 'fast-jwt'
import type { TokenClaims, TokenCodec } from '../../application/ports/system/token-codec.js'

export interface JwtSettings {
  secret: string
  issuer: string
  audience: string
}

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')

/**
 * HS256 JWTs. Verification is fast-jwt's (the engine of @fastify/jwt), built once for the process
 * (per-call options rebuild it every call, PERF-NOTES) with the algorithm pinned: `none` and
 * algorithm switching fail. Signing is a plain HMAC because fast-jwt's signer floors `iat` to the
 * second, and sign-out instants need the milliseconds (see token-service.ts).
 * Times are the token service's to judge (it owns the clock): expiry, and `iat`/`nbf` in the future.
 */
export function createJwtTokenCodec ({ secret, issuer, audience }: JwtSettings): TokenCodec {
  const key = createSecretKey(Buffer.from(secret)) // made once, not per signature
  const signer = (payload: object): string => {
    const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
    return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`
  }
  const verifier = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: issuer,
    allowedAud: audience,
    // fast-jwt checks iss/aud only when present: a token of ours carries them, so they are required.
    requiredClaims: ['iss', 'aud', 'sub', 'typ', 'jti', 'iat', 'exp'],
    // The token service checks expiry, iat and nbf against the Clock port.
    ignoreExpiration: true,
    ignoreNotBefore: true
  })
  return {
    sign: (claims) => signer({ ...claims, iss: issuer, aud: audience }),
    decode (token) {
      if (!COMPACT_JWS.test(token)) return null // junk never reaches the verifier, whose errors are costly
      let payload: Record<string, unknown>
      try {
        payload = verifier(token)
      } catch {
        return null // every fast-jwt failure (signature, algorithm, format, issuer) is one answer
      }
      return isClaims(payload) ? payload : null
    }
  }
}

function isClaims (payload: Record<string, unknown>): payload is TokenClaims & Record<string, unknown> {
  return typeof payload.sub === 'string' &&
    (payload.typ === 'access' || payload.typ === 'refresh') &&
    typeof payload.jti === 'string' &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    (payload.fam === undefined || typeof payload.fam === 'string') &&
    (payload.nbf === undefined || typeof payload.nbf === 'number') &&
    // Optional: tokens signed before the claim existed still decode (and are never a recent sign-in).
    (payload.auth_time === undefined || typeof payload.auth_time === 'number')
}
