import type { TokenClaims } from './token-codec.js'

/** What a refresh token was rotated into, kept so a concurrent refresh can answer the same pair. */
export interface Rotation {
  /** Unix milliseconds of the rotation. */
  at: number
  /** The successor pair's claims: signing them again yields the very same tokens. */
  access: TokenClaims
  refresh: TokenClaims
}

/** Token state shared by every instance: revoked ids (tokens and whole families) and rotations. */
export interface RevocationStore {
  /**
   * Marks an id (a token's `jti` or a family) revoked until `until` (after that every token it
   * names has expired anyway). Atomic: answers true only to the one caller that revoked it first.
   */
  revoke (id: string, until: Date): Promise<boolean>
  /** True when any of the ids is revoked: one round trip for a token and its family. */
  isRevoked (...ids: string[]): Promise<boolean>
  /**
   * Records that refresh token `jti` was rotated, unless it already was. Atomic: answers null to
   * the one caller whose record was kept, and the kept record to every other caller.
   */
  claimRotation (jti: string, rotation: Rotation, until: Date): Promise<Rotation | null>
}
