import type { TokenClaims } from '../system/token-codec.js'

/** What a refresh token was rotated into, kept so a concurrent refresh can answer the same pair. */
export interface Rotation {
  /** Unix milliseconds of the rotation. */
  at: number
  /** The successor pair's claims: signing them again yields the very same tokens. */
  access: TokenClaims
  refresh: TokenClaims
}

/**
 * What a claim found: this caller rotated the token; or the token was rotated before, into
 * `rotation`; or it is an older token of its family, spent before the rotations still kept.
 */
export type RotationClaim =
  | { outcome: 'rotated' }
  | { outcome: 'earlier', rotation: Rotation }
  | { outcome: 'superseded' }

import type { FamilyRecord, RevocationRecord } from '../records/revocation-ledger.js'

/** What a rebuild writes back into a store that lost its data. */
export interface RestoreSink {
  revocations (records: RevocationRecord[]): Promise<void>
  families (records: FamilyRecord[]): Promise<void>
}

/**
 * Token state shared by every instance: revoked ids (tokens and whole families) and rotations.
 * A store knows whether it is whole: one that lost its data (Redis restarted empty, flushed,
 * failed over to an empty replica; the embedded process started) throws SecurityStateLostError
 * from isRevoked and claimRotation until `restore` has refilled it from the durable copy.
 */
export interface RevocationStore {
  /**
   * Marks an id (a token's `jti` or a family) revoked until `until` (after that every token it
   * names has expired anyway). Atomic: answers true only to the one caller that revoked it first.
   */
  revoke(id: string, until: Date): Promise<boolean>
  /** True when any of the ids is revoked: one round trip for a token and its family. */
  isRevoked(...ids: string[]): Promise<boolean>
  /**
   * One record per family (a sign-in) for its whole life, not one per token: the family's
   * current refresh token. What a token was rotated into is kept only `keepMs`. The current
   * token (with no record yet, any token of the family: the sign-in's own) is rotated into
   * `rotation`, whose refresh token becomes current, and the claim answers 'rotated'; atomically,
   * so of callers racing with one token exactly one gets it. A token rotated within `keepMs`
   * answers 'earlier' with its rotation; any other token of the family, 'superseded'. The
   * family's record lives until `until`, which must outlast every token of the family.
   */
  claimRotation(
    family: string,
    jti: string,
    rotation: Rotation,
    options: { keepMs: number, until: Date }
  ): Promise<RotationClaim>
  /**
   * Refills a store that lost its data and marks it whole. Across instances one restores at a
   * time (the others wait for it); `load` writes the durable copy through the sink. Resolves once
   * the store is whole, whoever refilled it; a store already whole returns at once.
   */
  restore(load: (sink: RestoreSink) => Promise<void>): Promise<void>
}
