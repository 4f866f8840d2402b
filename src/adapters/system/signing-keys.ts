import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type JsonWebKey
} from 'node:crypto'

/**
 * The algorithms a token key may carry: one per key, pinned (a token is checked only with its key's).
 * Both sign deterministically, as the refresh grace window needs: a repeated refresh gets the very
 * same pair, byte for byte, from any instance. ES256 is not offered for that reason: node:crypto's
 * ECDSA signatures are randomised (docs/operations.md, "Signing keys and rotation").
 */
export const SIGNING_ALGORITHMS = ['HS256', 'EdDSA'] as const
export type SigningAlgorithm = typeof SIGNING_ALGORITHMS[number]

/** A kid: printable, short, no quotes or spaces, since it travels in every token header and in log lines. */
export const KID = /^[A-Za-z0-9._:-]{1,64}$/

/** One token key: its id, its algorithm and its JWK (RFC 7517) with the private part. */
export interface SigningKey {
  kid: string
  alg: SigningAlgorithm
  jwk: JsonWebKey
}

/** The keys tokens are checked with; one of them signs. */
export interface SigningKeySet {
  keys: SigningKey[]
  signingKid: string
  /** The key that checks tokens issued before tokens carried a kid (JWT_SECRET's), or null when it is retired. */
  unkeyedKid: string | null
}

/** What JWKS consumers get: the public half of an Ed25519 key, never `d`, never an HS256 secret. */
export interface PublicJwk {
  kty: string
  crv: string
  x: string
  kid: string
  alg: string
  use: 'sig'
}

/**
 * JWT_SECRET's HS256 key. Its kid is an HMAC of a fixed label under the secret: the same on every
 * instance that holds the secret, and saying nothing about it (a keyed hash, unlike a plain one).
 */
export function secretSigningKey (secret: string): SigningKey {
  const kid = 'hs256-' + createHmac('sha256', secret).update('mobile-auth token kid').digest('base64url').slice(0, 16)
  return { kid, alg: 'HS256', jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid, alg: 'HS256' } }
}

/** The public JWKS of a key set: asymmetric keys only, so a set of HS256 keys publishes `{ keys: [] }`. */
export function publicJwks (keys: readonly SigningKey[]): { keys: PublicJwk[] } {
  return {
    keys: keys.filter(key => key.alg !== 'HS256').map(key => {
      const { kty, crv, x } = createPublicKey({ key: key.jwk, format: 'jwk' }).export({ format: 'jwk' })
      return {
        kty: kty!,
        crv: crv!,
        x: x!,
        kid: key.kid,
        alg: key.alg,
        use: 'sig' as const
      }
    })
  }
}

/** A new private JWK for `alg`: an Ed25519 pair from node:crypto, or 32 random bytes for HS256. */
export function generateSigningKey (alg: SigningAlgorithm, kid?: string): SigningKey {
  const id = kid ?? `${alg.toLowerCase()}-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`
  const material: JsonWebKey = alg === 'HS256'
    ? { kty: 'oct', k: randomBytes(32).toString('base64url') }
    : generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  return { kid: id, alg, jwk: { ...material, kid: id, alg, use: 'sig' } }
}

/** The node:crypto private key of an asymmetric JWK (throws on a malformed one). */
export function privateKeyOf (jwk: JsonWebKey) {
  return createPrivateKey({ key: jwk, format: 'jwk' })
}
