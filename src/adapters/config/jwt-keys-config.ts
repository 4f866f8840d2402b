import { createPublicKey, type JsonWebKey } from 'node:crypto'
import {
  KID,
  SIGNING_ALGORITHMS,
  privateKeyOf,
  secretSigningKey,
  type SigningAlgorithm,
  type SigningKey,
  type SigningKeySet
} from '../system/signing-keys.js'
import type { EnvReader } from './env-reader.js'

/** The token keys as configured; the set itself is made once the secret is known (it may be the generated one). */
export interface JwtKeysConfig {
  /** JWT_KEYS, or null when unset (then JWT_SECRET's key alone signs, as before keys had ids). */
  listed: SigningKey[] | null
  /** JWT_SIGNING_KEY, or null: the only key of the set signs. */
  signingKid: string | null
  /** JWT_SECRET_VERIFIES: JWT_SECRET's HS256 key stays in the set (and checks tokens without a kid). */
  secretVerifies: boolean
}

// RFC 7518 3.2: an HS256 key at least as long as the hash.
const MIN_HMAC_BYTES = 32

/**
 * `JWT_KEYS`: a JSON array of private JWKs, each with `kid` and `alg` (HS256 `oct`, EdDSA `OKP`
 * Ed25519). `JWT_SIGNING_KEY`: the kid that signs, required when the set holds
 * more than one key. `JWT_SECRET_VERIFIES` (default true): JWT_SECRET's own key is in the set.
 * Every problem is named with the key's position and kid, never with key material.
 */
export function readJwtKeys (read: EnvReader, secret: string | null): JwtKeysConfig {
  const listed = parseKeys(read)
  const secretVerifies = read.boolean('JWT_SECRET_VERIFIES', true)
  const signingKid = read.optional('JWT_SIGNING_KEY')
  const config = { listed, signingKid, secretVerifies }
  if (listed === null && !secretVerifies) {
    read.fail('JWT_SECRET_VERIFIES', 'can be false only with JWT_KEYS (JWT_SECRET\'s key is then the only one)', null)
    return config
  }
  const secretKid = secret !== null && secretVerifies ? secretSigningKey(secret).kid : null
  if (secretKid !== null && listed?.some(key => key.kid === secretKid) === true) {
    read.fail('JWT_KEYS', `lists kid "${secretKid}", the kid of JWT_SECRET's own key`, null)
  }
  // A JWT_KEYS already refused is reported once, not again as a kid it failed to list.
  if (read.problems.some(problem => problem.startsWith('JWT_KEYS '))) return config
  const kids = [...(listed ?? []).map(key => key.kid), ...(secretKid === null ? [] : [secretKid])]
  const size = (listed?.length ?? 0) + (secretVerifies ? 1 : 0)
  if (signingKid === null && size > 1) {
    read.fail(
      'JWT_SIGNING_KEY',
      `is required when more than one key can verify (JWT_KEYS${secretVerifies ? ' and JWT_SECRET' : ''}): ` +
        'name the kid that signs',
      null
    )
  } else if (signingKid !== null && kids.length > 0 && !kids.includes(signingKid)) {
    // kids is empty only for the generated secret (no JWT_SECRET, no JWT_KEYS): nothing to check against.
    read.fail('JWT_SIGNING_KEY', `names kid "${signingKid}", which is not in the set (${kids.join(', ')})`, null)
  }
  return config
}

/** The set as the codec and the JWKS route use it, once the secret (configured or generated) is known. */
export function jwtKeySet (config: JwtKeysConfig, secret: string): SigningKeySet {
  const own = config.secretVerifies ? secretSigningKey(secret) : null
  const keys = [...(config.listed ?? []), ...(own === null ? [] : [own])]
  return {
    keys,
    signingKid: config.signingKid ?? keys[0]!.kid,
    unkeyedKid: own?.kid ?? null
  }
}

function parseKeys (read: EnvReader): SigningKey[] | null {
  const value = read.raw('JWT_KEYS')
  if (value === undefined) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    // The message never echoes the value: it holds private keys.
    return read.fail('JWT_KEYS', 'must be a JSON array of JWKs (see keys generate)', null)
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return read.fail('JWT_KEYS', 'must be a non-empty JSON array of JWKs (see keys generate)', null)
  }
  const keys: SigningKey[] = []
  const seen = new Set<string>()
  parsed.forEach((entry: unknown, index) => {
    const problem = checkKey(entry)
    const where = typeof (entry as JsonWebKey | null)?.kid === 'string' && KID.test((entry as JsonWebKey).kid as string)
      ? `key ${index + 1} (kid "${(entry as JsonWebKey).kid as string}")`
      : `key ${index + 1}`
    if (typeof problem === 'string') {
      read.fail('JWT_KEYS', `${where}: ${problem}`, null)
    } else if (seen.has(problem.kid)) {
      read.fail('JWT_KEYS', `${where}: duplicate kid`, null)
    } else {
      seen.add(problem.kid)
      keys.push(problem)
    }
  })
  return keys
}

/** The key, or what is wrong with it. */
function checkKey (entry: unknown): SigningKey | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'must be a JWK object'
  const jwk = entry as JsonWebKey
  if (typeof jwk.kid !== 'string' || !KID.test(jwk.kid)) return 'needs a kid of 1 to 64 letters, digits or . _ : -'
  if (jwk.alg === 'ES256') {
    return 'alg ES256 is not offered: its signatures are randomised, and a repeated refresh must get ' +
      'the same pair byte for byte; use EdDSA'
  }
  if (!(SIGNING_ALGORITHMS as readonly unknown[]).includes(jwk.alg)) {
    return `alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'use must be "sig" when present'
  const alg = jwk.alg as SigningAlgorithm
  const key = { kid: jwk.kid, alg, jwk }
  if (alg === 'HS256') {
    if (jwk.kty !== 'oct') return 'an HS256 key must have kty "oct"'
    if (typeof jwk.k !== 'string' || !/^[\w-]+$/.test(jwk.k)) return 'an HS256 key needs its secret in k (base64url)'
    if (Buffer.from(jwk.k, 'base64url').length < MIN_HMAC_BYTES) {
      return `an HS256 key must be at least ${MIN_HMAC_BYTES} bytes (keys generate --alg HS256 makes one)`
    }
    return key
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return 'an EdDSA key must have kty "OKP" and crv "Ed25519"'
  if (typeof jwk.d !== 'string') return 'lacks its private part (d): this service signs with it'
  try {
    const derived = createPublicKey(privateKeyOf(jwk)).export({ format: 'jwk' })
    if (derived.x !== jwk.x) return 'its public part (x) does not match its private part (d)'
  } catch {
    return 'is not a valid key'
  }
  return key
}
