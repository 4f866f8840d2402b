export interface RevocationStore {
  /**
   * Marks a token id revoked until `until` (its expiry; after that the token is dead anyway).
   * Atomic: answers true only to the one caller that revoked it first, so rotation can use it to
   * let a refresh token be spent once.
   */
  revoke (jti: string, until: Date): Promise<boolean>
  isRevoked (jti: string): Promise<boolean>
}
