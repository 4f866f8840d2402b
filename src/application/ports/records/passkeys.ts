import type { Passkey } from '../../../domain/passkey.js'

/** Members' passkeys (PostgreSQL or PGlite). */
export interface Passkeys {
  /** DuplicateValueError('passkey') when the credential id is registered already; false: no such member. */
  add (passkey: Passkey): Promise<boolean>
  find (credentialId: string): Promise<Passkey | null>
  /** The member's passkeys, oldest first. */
  listByMember (memberId: string): Promise<Passkey[]>
  /**
   * Records a sign-in with the passkey: the new counter and backup flag, and when. Only moves the
   * counter forward: false (writing nothing) when `counter` is not above the stored one while
   * either is non-zero, which is a cloned authenticator's mark.
   */
  recordUse (credentialId: string, use: { counter: number, backedUp: boolean, at: Date }): Promise<boolean>
  /** false when the member holds no such passkey. */
  remove (memberId: string, credentialId: string): Promise<boolean>
}
