/** One sign-in of a member on one device: the tokens it gave out all carry its id (`fam`). */
export interface MemberSession {
  id: string
  userId: string
  /** The app's User-Agent at sign-in, cut to a readable length; null when it sent none. */
  device: string | null
  /** The client address of the sign-in, then of the latest use. */
  ip: string | null
  createdAt: Date
  lastUsedAt: Date
  /** After this no token of the session can be live: it is forgotten. */
  expiresAt: Date
}

/**
 * The member's live sign-ins, so they can see them and end one. Shared by every instance (Redis),
 * kept no longer than the session's tokens. Ending a session's tokens is the revocation store's
 * job; this only remembers what there is to end.
 */
export interface SessionRegistry {
  /** Records a new sign-in. */
  open(session: MemberSession): Promise<void>
  /**
   * Notes a use (a refresh, a request) at `at` from `ip`; the expiry may move later, never earlier. Unknown ids are
   * ignored.
   */
  touch(userId: string, id: string, use: { at: Date, ip: string | null, expiresAt?: Date }): Promise<void>
  /** The member's sessions not yet expired at `now`, newest first. */
  list(userId: string, now: Date): Promise<MemberSession[]>
  /** Forgets one session and answers it, or null when the member has no such live session. */
  close(userId: string, id: string, now: Date): Promise<MemberSession | null>
  /** Forgets every session of the member (signed out everywhere, password changed, account deleted). */
  closeAll(userId: string): Promise<void>
}
