import { createHmac, createPublicKey, createSecretKey, sign, type KeyObject } from 'node:crypto'
import { createVerifier } from 'fast-jwt'
import type { TokenClaims, TokenCodec } from '../../application/ports/system/token-codec.js'
import { privateKeyOf, type SigningKey, type SigningKeySet } from '../system/signing-keys.js'

export interface JwtSettings {
  keys: SigningKeySet
  issuer: string
  audience: string
}

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/

// What every token carried before kids: `{"alg":"HS256","typ":"JWT"}`.
const UNKEYED_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')

type Verify = (token: string) => Record<string, unknown>

/**
 * JWTs under a set of keys, each pinned to its algorithm (HS256 or EdDSA). One key signs and
 * names itself in the header (`kid`); a token is checked only by the key its `kid` names, with that
 * key's algorithm alone, so an HS256 token under an EdDSA key's kid, `none`, or a public key used
 * as an HMAC secret all fail. A token without a kid (issued before kids existed) is checked by
 * JWT_SECRET's key while that key is in the set.
 *
 * Signing is node:crypto's, because fast-jwt's signer floors `iat` to the second and sign-out
 * instants need the milliseconds (see token-service.ts). Verification is fast-jwt's (the engine of
 * @fastify/jwt), one verifier per key built once for the process (per-call options rebuild it every
 * call, PERF-NOTES); its checks of issuer, audience and required claims are the same for every key.
 * Times are the token service's to judge (it owns the clock): expiry, and `iat`/`nbf` in the future.
 */
export function createJwtTokenCodec ({ keys, issuer, audience }: JwtSettings): TokenCodec {
  const signingKey = keys.keys.find(key => key.kid === keys.signingKid)
  if (signingKey === undefined) throw new Error(`signing key ${keys.signingKid} is not in the key set`)
  const signer = signerOf(signingKey)
  const verifiers = new Map(keys.keys.map(key => [key.kid, verifierOf(key, issuer, audience)]))
  const unkeyed = keys.unkeyedKid === null ? undefined : verifiers.get(keys.unkeyedKid)
  // The headers this set writes, read without parsing: nearly every token checked carries one of them.
  const known = new Map(keys.keys.map(key => [headerOf(key), verifiers.get(key.kid)!]))
  if (unkeyed !== undefined) known.set(UNKEYED_HEADER, unkeyed)
  const verifierFor = (token: string): Verify | undefined => {
    const encoded = token.slice(0, token.indexOf('.'))
    const hit = known.get(encoded)
    if (hit !== undefined) return hit
    let header: unknown
    try {
      header = JSON.parse(Buffer.from(encoded, 'base64url').toString())
    } catch {
      return undefined
    }
    if (typeof header !== 'object' || header === null) return undefined
    const kid = (header as { kid?: unknown }).kid
    if (kid === undefined) return unkeyed
    return typeof kid === 'string' ? verifiers.get(kid) : undefined
  }
  return {
    sign: (claims) => signer({ ...claims, iss: issuer, aud: audience }),
    decode (token) {
      if (!COMPACT_JWS.test(token)) return null // junk never reaches the verifier, whose errors are costly
      const verify = verifierFor(token)
      if (verify === undefined) return null // an unknown or retired kid
      let payload: Record<string, unknown>
      try {
        payload = verify(token)
      } catch {
        return null // every fast-jwt failure (signature, algorithm, format, issuer) is one answer
      }
      return isClaims(payload) ? payload : null
    }
  }
}

function headerOf (key: SigningKey): string {
  return Buffer.from(JSON.stringify({ alg: key.alg, typ: 'JWT', kid: key.kid })).toString('base64url')
}

/** Sign with node:crypto, keys made once (not per signature); both algorithms are deterministic. */
function signerOf (key: SigningKey): (payload: object) => string {
  const header = headerOf(key)
  const body = (payload: object) => `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  if (key.alg === 'HS256') {
    const secret = createSecretKey(Buffer.from(key.jwk.k!, 'base64url'))
    return payload => {
      const input = body(payload)
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
    }
  }
  const privateKey: KeyObject = privateKeyOf(key.jwk)
  return payload => {
    const input = body(payload)
    // Ed25519 hashes inside the algorithm: no digest is named.
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`
  }
}

function verifierOf (key: SigningKey, issuer: string, audience: string): Verify {
  return createVerifier({
    // The HMAC secret's bytes; an Ed25519 key's public half only, as PEM (what fast-jwt reads).
    key: key.alg === 'HS256'
      ? Buffer.from(key.jwk.k!, 'base64url')
      : createPublicKey(privateKeyOf(key.jwk)).export({ format: 'pem', type: 'spki' }).toString(),
    algorithms: [key.alg],
    allowedIss: issuer,
    allowedAud: audience,
    // fast-jwt checks iss/aud only when present: a token of ours carries them, so they are required.
    requiredClaims: ['iss', 'aud', 'sub', 'typ', 'jti', 'iat', 'exp'],
    // The token service checks expiry, iat and nbf against the Clock port.
    ignoreExpiration: true,
    ignoreNotBefore: true
  })
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
