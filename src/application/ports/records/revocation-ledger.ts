/** A refresh family's current refresh token, as last rotated. */
export interface FamilyRecord {
  family: string
  currentJti: string
  /** Unix milliseconds of the rotation: a write never replaces a later rotation's. */
  rotatedAt: number
  /** After this every token of the family has expired. */
  until: Date
}

/** An id that ends tokens, and until when it must. */
export interface RevocationRecord { id: string, until: Date }

/**
 * The durable copy (PostgreSQL) of the token state the revocation store keeps for admission:
 * written before the store for revocations, behind it for rotations; read back only to rebuild a
 * store that lost its data.
 */
export interface RevocationLedger {
  /** Records an id ended until `until`. Atomic: answers true only to the first caller. */
  revoke (id: string, until: Date): Promise<boolean>
  /** Records families' current tokens, each unless a later rotation of it is recorded already. */
  recordFamilies (records: FamilyRecord[]): Promise<void>
  /** Every revocation in force after `now`, page by page (`size` at most). */
  eachRevocation (now: Date, size: number, page: (records: RevocationRecord[]) => Promise<void>): Promise<void>
  /** Every family whose tokens outlive `now`, page by page. */
  eachFamily (now: Date, size: number, page: (records: FamilyRecord[]) => Promise<void>): Promise<void>
  /** Forgets what expired before `now`; answers how many rows went. */
  purge (now: Date): Promise<number>
}
