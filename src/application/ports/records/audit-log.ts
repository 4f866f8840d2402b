/** Every kind of event the trail records. Stored as text: an action is never renamed, only added. */
export const AUDIT_ACTIONS = [
  'staff.sign_in',
  'staff.sign_in_failed',
  'staff.sign_out',
  'staff.added',
  'staff.disabled',
  'staff.enabled',
  'staff.second_factor_reset',
  'staff.password_changed',
  'staff.password_change_failed',
  'staff.password_reset',
  'member.file_viewed',
  'member.approved',
  'member.rejected',
  'member.files_purged',
  'member.reapproved',
  'member.decision_undone',
  'member.note_written',
  'member.signed_up',
  'member.signed_in',
  'member.signed_out',
  'member.signed_out_everywhere',
  'member.deleted',
  'member.password_changed',
  'member.password_reset_requested',
  'member.password_reset',
  'member.email_code_sent',
  'member.email_verified',
  'member.email_changed',
  'member.mobile_code_sent',
  'member.mobile_changed',
  'member.sign_in_methods_removed',
  'member.sign_in_method_restored',
  'member.session_ended',
  'member.identity_confirmed',
  'member.identity_revealed',
  'member.identity_linked',
  'member.identity_unlinked',
  'member.passkey_added',
  'member.passkey_removed',
  'member.signed_out_others',
  'catalog.added',
  'catalog.changed',
  'admin_api.call',
  'audit.exported'
] as const

export type AuditAction = typeof AUDIT_ACTIONS[number]

/** Who did it. A staff member's email is kept as it was then, so the entry reads on its own. */
export type AuditActor =
  | { kind: 'staff', staffId: string, email: string }
  | { kind: 'api-key' }
  | { kind: 'member', memberId: string }
  | { kind: 'system' }

/** Facts such as the door, the route or a file key. Never a secret, a code, a token or a password. */
export type AuditDetail = Record<string, string | number | boolean | null>

export interface NewAuditEntry {
  /** From the Clock port. */
  at: Date
  actor: AuditActor
  action: AuditAction
  /** The member concerned; kept as a plain uuid, so the entry outlives the member's deletion. */
  memberId: string | null
  /** The staff member acted upon (staff.disabled, staff.second_factor_reset, ...). */
  targetStaffId: string | null
  /** The client's IP address, as the HTTP adapter resolved it. */
  address: string | null
  /** A person's reason (a rejection's), as they wrote it. */
  reason: string | null
  detail: AuditDetail
}

export interface AuditEntry extends NewAuditEntry {
  /** A random UUID, stable: the tie-break of the order and half of a paging cursor. */
  id: string
}

/** Where a page starts: the `at` and `id` of the last entry of the previous page. */
export interface AuditCursor { at: Date, id: string }

export interface AuditFilter {
  /** Only entries whose memberId is this member. */
  memberId?: string
  /** Only entries this staff member did or that were done to them (actor or target). */
  staffId?: string
  /** Only entries of one of these actions (an empty list matches nothing). */
  actions?: readonly AuditAction[]
  /** Only entries at or after this instant. */
  from?: Date
  /** Only entries strictly before this instant. */
  to?: Date
  /** Only entries strictly older than the cursor, in the list order. */
  before?: AuditCursor
  /** At most this many entries. */
  limit: number
}

/**
 * The audit trail: append-only. There is no update, and the retention sweep is the only removal,
 * so a staff member's traces cannot be edited away through the application.
 */
export interface AuditLog {
  /** Records one event under a fresh id. */
  append (entry: NewAuditEntry): Promise<void>
  /** Newest first; entries with the same `at` by id, descending. A cursor of the last entry answers the next page. */
  list (filter: AuditFilter): Promise<AuditEntry[]>
  /** Removes every entry with `at` before `instant` (strictly); answers how many went. */
  purgeOlderThan (instant: Date): Promise<number>
}
