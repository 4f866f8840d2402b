import { parseDecisionVersion, type DecisionState } from '../../domain/review-decision.js'
import type { AuditEntry } from '../ports/records/audit-log.js'

/** How long a decision can be undone: long enough to catch a wrong click, short enough that nobody acted on it. */
export const UNDO_WINDOW_MS = 2 * 60_000

/** The decisions an undo can take back (an undo itself is not undone: the member is decided again instead). */
const UNDOABLE = new Set(['member.approved', 'member.rejected', 'member.reapproved'])

/** A decision that may be undone now, and what undoing it puts back. */
export interface Undoable {
  entry: AuditEntry
  /** The member's state before the decision (its entry's `from`). */
  before: DecisionState
  /** The reason to put back when `before` is a rejection (the rejection's own entry), else null. */
  reason: string | null
  /** Whole minutes left, at least 1. */
  minutesLeft: number
}

/**
 * The member's latest decision, when `staffId` may undo it at `now`: made by that staff member (or
 * `anyone`: an admin undoes any), within UNDO_WINDOW_MS, and carrying the state it replaced. The
 * trail is newest first (one member's entries); a later undo or decision closes the window.
 */
export function undoableDecision (
  trail: AuditEntry[],
  by: { staffId: string | null, anyone: boolean },
  now: Date
): Undoable | null {
  const index = trail.findIndex(entry => UNDOABLE.has(entry.action) || entry.action === 'member.decision_undone')
  const entry = trail[index]
  if (entry === undefined || !UNDOABLE.has(entry.action)) return null
  const left = entry.at.getTime() + UNDO_WINDOW_MS - now.getTime()
  if (left <= 0) return null
  const mine = entry.actor.kind === 'staff' && entry.actor.staffId === by.staffId
  if (!mine && !by.anyone) return null
  const before = typeof entry.detail.from === 'string' ? parseDecisionVersion(entry.detail.from) : null
  if (before === null) return null
  const reason = before.status === 'rejected'
    ? trail.slice(index + 1).find(earlier => earlier.action === 'member.rejected')?.reason ?? null
    : null
  return { entry, before, reason, minutesLeft: Math.max(1, Math.ceil(left / 60_000)) }
}
