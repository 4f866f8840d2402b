import { NotFoundError, ValidationError } from '../../domain/errors.js'
import type { DecisionState } from '../../domain/review-decision.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import { hasControlCharacters } from '../../domain/text-field.js'
import type { UserStatus, UserWithProfile } from '../../domain/user.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import {
  makeMemberDecisions,
  makeWithFileLinks,
  type Decided,
  type MemberWithFileLinks
} from './member-review-shared.js'
import type { DescribeMember } from '../members/member-view.js'
import type { NotifyMember } from '../members/notify-member.js'
import type { FileStore } from '../ports/outbound/file-store.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { FileDeletionQueue } from '../ports/records/file-deletion-queue.js'
import type { ReviewRepository, SharedKeyHolder } from '../ports/records/review-repository.js'
import type { RecordDecision } from './record-decision.js'
import type { PurgeDeletedFiles, PurgeReport } from '../files/purge-deleted-files.js'

export interface ReviewMembersDeps {
  accounts: Pick<AccountRepository, 'findById' | 'findProfileById'>
  review: ReviewRepository
  fileDeletions: Pick<FileDeletionQueue, 'purgeVerificationFiles'>
  recordDecision: RecordDecision
  describeMember: DescribeMember
  endSessions: EndSessions
  files: FileStore
  notifyMember: NotifyMember
  texts: MemberTexts
  readLinkTtlSeconds: number
  /** When given, purged files are deleted from the store at once; otherwise the deletion sweeper takes them. */
  purgeDeletedFiles?: PurgeDeletedFiles
}

/** One member's review page: the record with signed verification links and the person's other accounts. */
export interface ReviewMember {
  view: MemberWithFileLinks
  duplicates: SharedKeyHolder[]
  /** When the member was approved or rejected; null while pending. */
  decidedAt: Date | null
}

export interface VerificationFilesPurge {
  memberId: string
  /** The storage keys that left the member's record (queued for deletion). */
  keys: string[]
  /** The immediate deletion from the store, when the use-case was given purgeDeletedFiles. */
  report: PurgeReport | null
}

export const MAX_PAGE_SIZE = 100
const MAX_REASON_LENGTH = 1000

/**
 * The member records behind the review (the console's queue is review-queue.ts): the admin API's
 * list by status, a member's page, approve, reject with a reason, and purging a decided member's
 * verification files. Members are named by their public short uuid or their uuid. Nothing here
 * writes the audit trail: the doors reach it only through member-review.ts, which does.
 */
export const makeReviewMembers = ({
  accounts,
  review,
  fileDeletions,
  recordDecision,
  describeMember,
  files,
  endSessions,
  notifyMember,
  texts,
  readLinkTtlSeconds,
  purgeDeletedFiles
}: ReviewMembersDeps) => {
  const withLinks = makeWithFileLinks({ files, readLinkTtlSeconds })
  const decisions = makeMemberDecisions({ recordDecision, endSessions, notifyMember, texts })

  const memberIdOf = (ref: string): string => {
    const lower = ref.toLowerCase()
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower)) return lower
    const id = fromShortUuid(ref)
    if (id === null) throw new NotFoundError()
    return id
  }

  const member = async (id: string): Promise<ReviewMember> => {
    const user = await accounts.findProfileById(id)
    if (user === null) throw new NotFoundError()
    const [view, duplicates] = await Promise.all([
      describeMember.describe(user).then(withLinks),
      review.findSharingUniqueKey(id)
    ])
    return { view, duplicates, decidedAt: user.decidedAt }
  }

  // A decision answers the record alone: no signed links leave for a page that does not show them.
  const record = async (id: string): Promise<{ user: UserWithProfile }> => {
    const user = await accounts.findProfileById(id)
    if (user === null) throw new NotFoundError()
    return { user }
  }

  const withView = async (id: string): Promise<MemberWithFileLinks> => {
    const user = await accounts.findProfileById(id)
    if (user === null) throw new NotFoundError()
    return withLinks(await describeMember.describe(user))
  }

  return {
    /** Members by status (null: all), newest first, as the JSON admin API pages them. */
    async list (input: {
      status: UserStatus | null
      page: number
      pageSize: number
    }): Promise<{ members: MemberWithFileLinks[], total: number }> {
      const pageSize = Math.min(Math.max(input.pageSize, 1), MAX_PAGE_SIZE)
      const { users: found, total } = await review.listByStatus(
        input.status,
        (Math.max(input.page, 1) - 1) * pageSize,
        pageSize
      )
      return {
        members: await Promise.all(found.map(async user => withLinks(await describeMember.describe(user)))),
        total
      }
    },

    /** One member's whole record with signed links to the verification files. */
    show: async (ref: string): Promise<MemberWithFileLinks> => withView(memberIdOf(ref)),

    member: async (ref: string): Promise<ReviewMember> => member(memberIdOf(ref)),

    /** The id of the member a ref names; NotFoundError when there is none. */
    async existing (ref: string): Promise<string> {
      const id = memberIdOf(ref)
      if ((await accounts.findById(id)) === null) throw new NotFoundError()
      return id
    },

    /** The oldest pending member other than `exceptId` (the next one to review), or null when none is left. */
    async nextPending (exceptId: string): Promise<{ id: string, username: string | null } | null> {
      const { users } = await review.search({
        status: 'pending',
        text: null,
        mobile: null,
        order: 'oldest',
        offset: 0,
        limit: 2
      })
      const next = users.find(user => user.id !== exceptId)
      return next === undefined ? null : { id: next.id, username: next.profile?.username ?? next.email }
    },

    /** The id of the member a ref names and their review state now; NotFoundError when there is none. */
    async current (ref: string): Promise<{ id: string, state: DecisionState }> {
      const id = memberIdOf(ref)
      const user = await accounts.findById(id)
      if (user === null) throw new NotFoundError()
      return { id, state: { status: user.status, decidedAt: user.decidedAt } }
    },

    /**
     * Approves a pending or rejected member (re-approval), then tells their devices. With `expected`,
     * only while the member is still in that state (StaleDecisionError otherwise).
     */
    approve: async (ref: string, expected?: DecisionState): Promise<Decided<{ user: UserWithProfile }>> =>
      decisions.approve(memberIdOf(ref), record, expected),

    /**
     * Puts a member back to the status they had before a decision (an undo): pending or rejected
     * ends every session they have, as a rejection does, since they may have signed in meanwhile;
     * back to approved is a plain write. No push: the member was told of the decision undone, and
     * an app treats a later status as it finds it.
     */
    async undo (id: string, status: UserStatus, reason: string | null, expected: DecisionState): Promise<void> {
      const found = status === 'approved'
        ? await recordDecision(id, status, null, undefined, expected)
        : await endSessions.decide(id, status, reason, expected)
      if (!found) throw new NotFoundError()
    },

    /** A rejection needs a reason a person wrote (the member may ask why); it ends every session they have. */
    async reject (ref: string, reason: string, expected?: DecisionState): Promise<Decided<{ user: UserWithProfile }>> {
      const id = memberIdOf(ref)
      return decisions.reject(id, requireReason(reason), record, expected)
    },

    /**
     * Removes a decided member's verification files: their records now, the stored files through
     * the durable deletion queue. Refused while the member is pending, since the review needs
     * them. A decided member never goes back to pending, so the check cannot go stale before
     * the purge.
     */
    /** What purgeFiles would remove (the member and how many files), refused as purgeFiles refuses. */
    async purgeable (ref: string): Promise<{ memberId: string, files: number }> {
      const id = memberIdOf(ref)
      const user = await accounts.findProfileById(id)
      if (user === null) throw new NotFoundError()
      if (user.status === 'pending') throw ValidationError.of('status', 'invalid')
      return { memberId: id, files: user.profile?.verificationFiles.length ?? 0 }
    },

    async purgeFiles (ref: string): Promise<VerificationFilesPurge> {
      const id = memberIdOf(ref)
      const user = await accounts.findById(id)
      if (user === null) throw new NotFoundError()
      if (user.status === 'pending') throw ValidationError.of('status', 'invalid')
      const keys = await fileDeletions.purgeVerificationFiles(id)
      if (keys === null) throw new NotFoundError()
      const report = purgeDeletedFiles === undefined || keys.length === 0 ? null : await purgeDeletedFiles.keys(keys)
      return { memberId: id, keys, report }
    }
  }
}

export type ReviewMembers = ReturnType<typeof makeReviewMembers>

/** A reason is prose a person wrote: required, bounded, line breaks allowed but no other control characters. */
export function requireReason (reason: string): string {
  const text = reason.trim()
  if (text === '') throw ValidationError.of('reason', 'required')
  if ([...text].length > MAX_REASON_LENGTH) throw ValidationError.of('reason', 'too_long')
  if (hasControlCharacters(text, { multiline: true })) throw ValidationError.of('reason', 'invalid')
  return text
}
