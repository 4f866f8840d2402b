/** What a WebAuthn challenge was issued for. */
export type Ceremony = { kind: 'register', memberId: string } | { kind: 'sign_in' }

/**
 * The challenges of WebAuthn ceremonies in flight (Redis, or this process): each is taken once,
 * so an assertion or attestation can never be replayed, and lives only minutes.
 */
export interface CeremonyChallenges {
  issue (challenge: string, ceremony: Ceremony, ttlSeconds: number): Promise<void>
  /** The ceremony the challenge was issued for, removed in the same step; null when unknown, used or expired. */
  take (challenge: string): Promise<Ceremony | null>
}
