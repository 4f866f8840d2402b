import { ServiceUnavailableError, StaleDecisionError, ValidationError } from '../../domain/errors.js'
import {
  decisionVersion,
  parseDecisionVersion,
  sameDecisionState,
  type DecisionState
} from '../../domain/review-decision.js'
import type { UserStatus, UserWithProfile } from '../../domain/user.js'
import type { Decided, MemberWithFileLinks } from './member-review-shared.js'
import type { AuditAction, AuditActor, AuditEntry, AuditLog } from '../ports/records/audit-log.js'
import type { AuditFacts, RecordAudit } from '../audit/record-audit.js'
import type { Clock } from '../ports/system/clock.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import type { RecordFileViews } from './file-views.js'
import { undoableDecision, type Undoable } from './undo-window.js'
import { requireReason, type ReviewMember, type ReviewMembers } from './review-members.js'

export interface MemberReviewDeps {
  reviewMembers: ReviewMembers
  phones: PhoneParser
  audit: AuditLog
  recordAudit: RecordAudit
  recordFileViews: RecordFileViews
  clock: Clock
}

/** Who reviews: a staff member in the console, or the shared key of the JSON admin API. */
export interface Reviewer {
  actor: Extract<AuditActor, { kind: 'staff' } | { kind: 'api-key' }>
  address: string | null
}

/**
 * A member as a reviewer sees them, with the member's history from the trail and their number as
 * people write it (`010-5550-1234`; null without one).
 */
export interface ReviewedMember extends ReviewMember { history: AuditEntry[], mobileDisplay: string | null }

const HISTORY = 100

/** The trail's decisions: what a refused stale decision names as having come first. */
export const DECISION_ACTIONS: readonly AuditAction[] = [
  'member.approved',
  'member.rejected',
  'member.reapproved',
  'member.decision_undone'
]
// How far back a stale decision's page looks for the decision that came first: that decision was
// made moments ago, so it is among the member's latest entries (file views come in between).
const LAST_DECISION_WINDOW = 200

/**
 * The state a decision form carried (its version), checked against the member's state now: a
 * malformed version is invalid input, another state is StaleDecisionError. No version: the door
 * does not carry one (the JSON admin API), and the decision is made on whatever the member is.
 */
function expectedState (now: DecisionState, version: string | undefined): DecisionState | undefined {
  if (version === undefined) return undefined
  const expected = parseDecisionVersion(version)
  if (expected === null) throw ValidationError.of('version', 'invalid')
  if (!sameDecisionState(now, expected)) throw new StaleDecisionError()
  return expected
}

/**
 * The one way members are reviewed and decided, whichever door (the console, the JSON admin API):
 * each decision, each purge and each look at a member's identity verification files is on the
 * audit trail under the reviewer who did it. A file view is recorded before its signed link leaves
 * the core; when the trail cannot be written the request fails (ServiceUnavailableError, 503) and
 * nothing is shown. A rejection needs a reason (review-members.ts checks it).
 */
export const makeMemberReview = (
  { reviewMembers, phones, audit, recordAudit, recordFileViews, clock }: MemberReviewDeps
) => {
  const trail = async (by: Reviewer, action: AuditAction, facts: AuditFacts): Promise<void> => {
    try {
      await recordAudit(by.actor, action, { ...facts, address: by.address })
    } catch {
      throw new ServiceUnavailableError()
    }
  }

  /** Records the look at a member's files (a staff member's once per visit: file-views.ts), then lets the links go. */
  const viewed = async (by: Reviewer, member: MemberWithFileLinks): Promise<MemberWithFileLinks> => {
    try {
      await recordFileViews(by, member.user.id, member.fileLinks.map(file => file.key))
    } catch {
      throw new ServiceUnavailableError()
    }
    return member
  }

  // A decision is recorded before it is written: an entry whose write then failed (a store outage)
  // is better than a decision the trail never saw. The member must exist, be in the state the form
  // was made on (`version`) and the reason be valid first, so a refused request leaves nothing.
  const approve = async (by: Reviewer, ref: string, version?: string): Promise<Decided<{ user: UserWithProfile }>> => {
    const { id, state } = await reviewMembers.current(ref)
    const expected = expectedState(state, version)
    // A page's approve is for a pending member: a rejected one is approved again by reapprove, its own
    // action. Without a version (the JSON admin API) approve keeps taking either, as it always has.
    if (expected !== undefined && expected.status !== 'pending') throw ValidationError.of('status', 'invalid')
    await trail(by, 'member.approved', { memberId: id, detail: { from: decisionVersion(state) } })
    return reviewMembers.approve(id, expected)
  }

  /** Approving a rejected member again: its own action and entry, on the rejected state the page showed. */
  const reapprove = async (by: Reviewer, ref: string, version: string): Promise<Decided<{ user: UserWithProfile }>> => {
    const { id, state } = await reviewMembers.current(ref)
    const expected = expectedState(state, version)!
    if (state.status !== 'rejected') throw ValidationError.of('status', 'invalid')
    await trail(by, 'member.reapproved', { memberId: id, detail: { from: decisionVersion(state) } })
    return reviewMembers.approve(id, expected)
  }

  /** The member's latest decision, when this reviewer may undo it now (anyone: an admin). */
  const undoable = async (by: Reviewer, id: string, anyone: boolean): Promise<Undoable | null> =>
    undoableDecision(
      await audit.list({ memberId: id, limit: LAST_DECISION_WINDOW }),
      { staffId: by.actor.kind === 'staff' ? by.actor.staffId : null, anyone },
      clock.now()
    )

  const reject = async (
    by: Reviewer,
    ref: string,
    reason: string,
    version?: string
  ): Promise<Decided<{ user: UserWithProfile }>> => {
    const text = requireReason(reason)
    const { id, state } = await reviewMembers.current(ref)
    const expected = expectedState(state, version)
    await trail(by, 'member.rejected', { memberId: id, reason: text, detail: { from: decisionVersion(state) } })
    return reviewMembers.reject(id, text, expected)
  }

  /** A decision answered with the member as they now are, files included (each view recorded). */
  const shown = async (
    by: Reviewer,
    { member, push }: Decided<{ user: UserWithProfile }>
  ): Promise<Decided<MemberWithFileLinks>> => ({
    member: await viewed(by, await reviewMembers.show(member.user.id)),
    push
  })

  return {
    /** A page of members by status, newest first; every file link on it is recorded as viewed. */
    async list (
      by: Reviewer,
      input: { status: UserStatus | null, page: number, pageSize: number }
    ): Promise<{ members: MemberWithFileLinks[], total: number }> {
      const { members, total } = await reviewMembers.list(input)
      for (const member of members) await viewed(by, member)
      return { members, total }
    },

    show: async (by: Reviewer, ref: string): Promise<MemberWithFileLinks> => viewed(by, await reviewMembers.show(ref)),

    /** The console's member page: the record, the person's other accounts and the member's history. */
    async member (by: Reviewer, ref: string): Promise<ReviewedMember> {
      const reviewed = await reviewMembers.member(ref)
      await viewed(by, reviewed.view)
      const { mobile, id } = reviewed.view.user
      return {
        ...reviewed,
        history: await audit.list({ memberId: id, limit: HISTORY }),
        mobileDisplay: mobile === null ? null : phones.display(mobile)
      }
    },

    approve,
    reject,
    reapprove,

    /**
     * The oldest pending member other than this one (by id: the member page has just read them, so
     * no second read): where a reviewer goes after a decision.
     */
    nextPending: async (memberId: string): Promise<{ id: string, username: string | null } | null> =>
      reviewMembers.nextPending(memberId),

    /** Minutes left to undo the member's latest decision for this reviewer, or null when they cannot. */
    async undoMinutes (by: Reviewer, ref: string, anyone: boolean): Promise<number | null> {
      const { id } = await reviewMembers.current(ref)
      return (await undoable(by, id, anyone))?.minutesLeft ?? null
    },

    /**
     * Takes back the member's latest decision within its window (undo-window.ts), on the state the
     * page showed: the member is put back as they were before it (a rejection with its reason).
     * Refused (invalid input) when there is no such decision for this reviewer any more.
     */
    async undo (by: Reviewer, ref: string, version: string, anyone: boolean): Promise<void> {
      const { id, state } = await reviewMembers.current(ref)
      const expected = expectedState(state, version)!
      const found = await undoable(by, id, anyone)
      if (found === null) throw ValidationError.of('decision', 'invalid')
      await trail(by, 'member.decision_undone', {
        memberId: id,
        detail: { undid: found.entry.action, from: decisionVersion(state), to: decisionVersion(found.before) }
      })
      await reviewMembers.undo(id, found.before.status, found.reason, expected)
    },

    /** The member's latest decision on the trail (who, what, when), or null when none is recorded. */
    async lastDecision (ref: string): Promise<AuditEntry | null> {
      const { id } = await reviewMembers.current(ref)
      const entries = await audit.list({ memberId: id, limit: LAST_DECISION_WINDOW })
      return entries.find(entry => DECISION_ACTIONS.includes(entry.action)) ?? null
    },
    approveAndShow: async (by: Reviewer, ref: string): Promise<Decided<MemberWithFileLinks>> =>
      shown(by, await approve(by, ref)),
    rejectAndShow: async (by: Reviewer, ref: string, reason: string): Promise<Decided<MemberWithFileLinks>> =>
      shown(by, await reject(by, ref, reason)),

    /** Recorded before the files go, like a decision. */
    async purgeFiles (by: Reviewer, ref: string): Promise<void> {
      const { memberId, files } = await reviewMembers.purgeable(ref)
      await trail(by, 'member.files_purged', { memberId, detail: { files } })
      await reviewMembers.purgeFiles(memberId)
    }
  }
}

export type MemberReview = ReturnType<typeof makeMemberReview>
