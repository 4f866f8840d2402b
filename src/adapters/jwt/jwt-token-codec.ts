import { createHmac } from 'node:crypto'
import { createVerifier } from 'fast-jwt'
import type { Clock } from '../../application/ports/clock.js'
import type { TokenClaims, TokenCodec } from '../../application/ports/token-codec.js'

export interface JwtSettings {
  secret: string
  issuer: string
  audience: string
  /** The token service's clock: a token is never judged against another instant than it was issued by. */
  clock: Clock
  /** Tolerated clock skew between instances (TOKEN_LEEWAY), as for expiry. */
  leewaySeconds: number
}

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')

/**
 * HS256 JWTs. Verification is fast-jwt's (the engine of @fastify/jwt), built once for the process
 * (per-call options rebuild it every call, PERF-NOTES) with the algorithm pinned: `none` and
 * algorithm switching fail. Signing is a plain HMAC because fast-jwt's signer floors `iat` to the
 * second, and sign-out instants need the milliseconds (see token-service.ts).
 *
 * A token whose `iat` or `nbf` lies beyond the leeway in the future decodes to null (the invalid
 * token refusal): no instance issues one, so it was signed on a clock far off or with a stolen
 * key, and a future `iat` would also outlive every sign-out cutoff taken before it. `iat` keeps
 * milliseconds (fractional seconds), `nbf` is seconds; both are compared in seconds.
 */
export function createJwtTokenCodec ({ secret, issuer, audience, clock, leewaySeconds }: JwtSettings): TokenCodec {
  const signer = (payload: object): string => {
    const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
    return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
  }
  const verifier = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: issuer,
    allowedAud: audience,
    // fast-jwt checks iss/aud only when present: a token of ours carries them, so they are required.
    requiredClaims: ['iss', 'aud', 'sub', 'typ', 'jti', 'iat', 'exp'],
    ignoreExpiration: true, // the token service checks expiry against the Clock port
    ignoreNotBefore: true // checked below against the Clock port, with iat
  })
  const notYetValid = (payload: TokenClaims & { nbf?: unknown }): boolean => {
    const latest = clock.now().getTime() / 1000 + leewaySeconds
    return payload.iat > latest || (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > latest))
  }
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
      return isClaims(payload) && !notYetValid(payload) ? payload : null
    }
  }
}

function isClaims (payload: Record<string, unknown>): payload is TokenClaims & Record<string, unknown> {
  return typeof payload.sub === 'string' &&
    (payload.typ === 'access' || payload.typ === 'refresh') &&
    typeof payload.jti === 'string' &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    (payload.fam === undefined || typeof payload.fam === 'string')
}
