import type { UseCases } from '../../../application/make-use-cases.js'
import type { ActingStaff } from '../../../application/staff/staff-admin.js'
import type { StaffVisit } from '../../../application/staff/staff-sign-in.js'
import { decisionVersion } from '../../../domain/review-decision.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import type { User } from '../../../domain/user.js'
import type { DecidingInput } from './pages/decision-pages.js'
import { DECISION_TEXTS } from './pages/decision-texts.js'
import type { Frame } from './pages/layout.js'

/** What a decision route redirects to the member page with (`?done=`), for the notice and "next pending". */
export const DECISIONS_DONE = ['approved', 'rejected', 'reapproved', 'undone', 'purged', 'noted'] as const
export type DecisionDone = typeof DECISIONS_DONE[number]

/** The notice after a decision, in the reader's language. */
export function decisionNotice (frame: Frame, done: DecisionDone | undefined): string | null {
  const d = DECISION_TEXTS[frame.language]
  switch (done) {
    case undefined: return null
    case 'approved': return d.approvedDone
    case 'rejected': return d.rejectedDone
    case 'reapproved': return d.reapprovedDone
    case 'undone': return d.undone
    case 'purged': return frame.t.filesPurged
    case 'noted': return d.noteSaved
  }
}

/**
 * What the member page's deciding parts show, read for the staff member looking: the member's
 * version for every form, who else is on the member (which marks this staff member as there too),
 * whether they may undo the last decision, and whether the files may be deleted. The member page's
 * route asks this alone, so the deciding parts grow here rather than in the route.
 */
export async function decidingFor (
  useCases: UseCases,
  { visit, by, frame }: { visit: StaffVisit, by: ActingStaff, frame: Frame },
  user: Pick<User, 'id' | 'status' | 'decidedAt'>,
  files: number,
  done?: DecisionDone
): Promise<DecidingInput> {
  const uuid = toShortUuid(user.id)
  const admin = visit.staff.role === 'admin'
  // After a decision (or on a decided member) the way on is the next pending member.
  const onward = (done !== undefined && done !== 'noted') || user.status !== 'pending'
  const [others, undoMinutes, next, reasons, note] = await Promise.all([
    useCases.othersOnMember(user.id, { staffId: visit.staff.id, email: visit.staff.email }),
    user.status === 'pending' ? null : useCases.memberReview.undoMinutes(by, uuid, admin),
    onward ? useCases.memberReview.nextPending(user.id) : undefined,
    user.status === 'pending' ? useCases.rejectionReasons.live() : [],
    useCases.memberNotes.read(user.id)
  ])
  return {
    uuid,
    status: user.status,
    version: decisionVersion(user),
    canPurge: admin && user.status !== 'pending' && files > 0,
    others: others.map(other => ({ email: other.email, at: other.at })),
    undoMinutes,
    note: note === null ? null : { text: note.text, by: note.staffEmail, at: note.writtenAt },
    // Offered in the reader's language; the member is given the text in theirs.
    reasons: reasons.map(reason => ({
      id: toShortUuid(reason.id),
      text: frame.language === 'en' ? reason.en : reason.ko
    })),
    nextPending: next === undefined
      ? undefined
      : next === null ? null : { uuid: toShortUuid(next.id), label: next.username ?? toShortUuid(next.id) }
  }
}
