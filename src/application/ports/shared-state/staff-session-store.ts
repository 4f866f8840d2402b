/** After the password, a session may only finish the second factor; after TOTP it is signed in. */
export type StaffSessionStage = 'second_factor' | 'signed_in'

/** A console sign-in, kept on the server; the browser holds nothing but its random id. */
export interface StaffSession {
  staffId: string
  stage: StaffSessionStage
  /** The synchronizer token every console form carries back. */
  csrfToken: string
  createdAt: Date
  /** The last recorded visit: refreshed at most once per minute (see `get`), so it may lag a little. */
  lastSeenAt: Date
  /** The client's address and user agent at sign-in, shown to staff and written to the audit trail. */
  address: string | null
  userAgent: string | null
}

/** What the caller knows when a session starts; the store adds the times and the CSRF token. */
export type NewStaffSession = Pick<StaffSession, 'staffId' | 'stage' | 'address' | 'userAgent'>

export interface StaffSessionSettings {
  /** A session ends this long after its last visit (the issue asks 30 minutes). */
  idleSeconds: number
  /** And this long after it began, however busy (12 hours). */
  absoluteSeconds: number
}

/**
 * Server-side console sessions. Ids are 32 random bytes (base64url) made by the store; it keeps
 * only their SHA-256, so a dump of the store holds no cookie a thief could replay. A session is
 * gone once idle or absolute time runs out, and every method treats it as absent from then on.
 */
export interface StaffSessionStore {
  /** Starts a session with a fresh CSRF token; answers its id, the only time the raw id exists. */
  create (session: NewStaffSession): Promise<string>
  /**
   * The live session, or null. Counts as a visit: lastSeenAt slides forward, but is written at
   * most once every min(60 s, idle / 10), so a session may end that much before a full idle
   * period after the real last visit, never after it.
   */
  get (id: string): Promise<StaffSession | null>
  /** Changes a live session in place; false when there is none. Never extends its life. */
  update (id: string, patch: { stage?: StaffSessionStage, csrfToken?: string }): Promise<boolean>
  /**
   * Completes sign-in after the second factor: atomically replaces the session with one under a
   * new id, stage `signed_in` and a new CSRF token, keeping staffId, createdAt (the absolute
   * timeout still counts from the password) and the client details. The old id dies at once, so
   * an id planted or seen before sign-in is worthless after it. Answers the new id, or null when
   * the session is not live; of concurrent calls for one id, exactly one gets the new id.
   */
  promote (id: string): Promise<string | null>
  /** Ends one session (sign-out); a missing one is no error. */
  delete (id: string): Promise<void>
  /** Ends every session of a staff member (disabled, or second factor reset by an admin). */
  deleteAllOf (staffId: string): Promise<void>
}
