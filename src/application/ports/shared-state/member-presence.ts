/** A staff member who had a member's page open, and when they last opened it. */
export interface PresenceMark { staffId: string, email: string, at: Date }

/**
 * Who has had a member's page open lately: a short-lived record, so two reviewers see each other
 * before they decide. Nothing in it is evidence (the audit trail is); it forgets on its own.
 */
export interface MemberPresence {
  /** Records that the staff member opened the member's page at `at`; the mark lives `forMs`. */
  mark (memberId: string, viewer: { staffId: string, email: string }, at: Date, forMs: number): Promise<void>
  /** Each staff member with a mark on the member at `since` or later, with their latest, newest first. */
  recent (memberId: string, since: Date): Promise<PresenceMark[]>
}
