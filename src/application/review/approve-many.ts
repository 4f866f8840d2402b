import { NotFoundError, StaleDecisionError, ValidationError } from '../../domain/errors.js'
import { parseDecisionVersion } from '../../domain/review-decision.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import type { UserWithProfile } from '../../domain/user.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { AuditEntry } from '../ports/records/audit-log.js'
import type { MemberReview, Reviewer } from './member-review.js'

export interface ApproveManyDeps {
  accounts: Pick<AccountRepository, 'findProfileById'>
  memberReview: Pick<MemberReview, 'approve' | 'lastDecision'>
}

/** The most members one request approves: a page of the queue at its largest. */
export const MAX_BATCH = 100

/** A member as the queue page showed them: their public id and the review state the page was made on. */
export interface BatchItem { ref: string, version: string }

export interface BatchMember { ref: string, id: string, username: string | null, name: string | null }

export type SkipReason = 'decided' | 'gone' | 'invalid'

export interface BatchSkip extends BatchMember {
  reason: SkipReason
  /** For `decided`: the decision on the trail that came first (who, what, when), when one is found. */
  last: AuditEntry | null
}

export interface BatchOutcome { approved: BatchMember[], skipped: BatchSkip[] }

/**
 * Approving many pending members at once, each through the one audited review use-case with the
 * version the queue page showed: a member decided in the meantime is skipped with the decision
 * that came first, never overwritten. Members are approved one after another, each with its own
 * audit entry and push; a trail outage stops the batch there (the approved ones stay approved,
 * and the queue shows who is left).
 */
export const makeApproveMany = ({ accounts, memberReview }: ApproveManyDeps) => {
  const checked = (items: BatchItem[]): BatchItem[] => {
    const unique = [...new Map(items.map(item => [item.ref, item])).values()]
    if (unique.length === 0) throw ValidationError.of('members', 'required')
    if (unique.length > MAX_BATCH) throw ValidationError.of('members', 'too_long')
    return unique
  }

  const load = async (item: BatchItem): Promise<{ member: BatchMember, user: UserWithProfile | null }> => {
    const id = fromShortUuid(item.ref)
    const user = id === null ? null : await accounts.findProfileById(id)
    const profile = user?.profile ?? null
    return {
      member: { ref: item.ref, id: id ?? '', username: profile?.username ?? null, name: profile?.name ?? null },
      user
    }
  }

  const skip = async (member: BatchMember, reason: SkipReason): Promise<BatchSkip> => ({
    ...member,
    reason,
    last: reason === 'decided' ? await memberReview.lastDecision(member.ref) : null
  })

  return {
    /**
     * The members a confirmation lists: those still pending as the page showed them. The others are
     * left out, not looked up (the confirmation names no skips; the approval reports them).
     */
    async preview (items: BatchItem[]): Promise<{ members: Array<BatchMember & BatchItem> }> {
      const members: Array<BatchMember & BatchItem> = []
      for (const item of checked(items)) {
        const { member, user } = await load(item)
        if (user?.status === 'pending' && parseDecisionVersion(item.version)?.status === 'pending') {
          members.push({ ...member, ...item })
        }
      }
      return { members }
    },

    async approve (by: Reviewer, items: BatchItem[]): Promise<BatchOutcome> {
      const outcome: BatchOutcome = { approved: [], skipped: [] }
      for (const item of checked(items)) {
        const { member, user } = await load(item)
        const version = parseDecisionVersion(item.version)
        if (user === null) {
          outcome.skipped.push(await skip(member, 'gone'))
          continue
        }
        // Only pending members: a version naming a decided state would make this a re-approval.
        if (version === null || version.status !== 'pending') {
          outcome.skipped.push(await skip(member, 'invalid'))
          continue
        }
        try {
          await memberReview.approve(by, item.ref, item.version)
          outcome.approved.push(member)
        } catch (error) {
          if (error instanceof StaleDecisionError) outcome.skipped.push(await skip(member, 'decided'))
          else if (error instanceof NotFoundError) outcome.skipped.push(await skip(member, 'gone'))
          else throw error
        }
      }
      return outcome
    }
  }
}

export type ApproveMany = ReturnType<typeof makeApproveMany>
