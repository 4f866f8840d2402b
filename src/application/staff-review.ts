import type { AuditEntry, AuditLog } from './ports/audit-log.js'
import type { RecordAudit } from './record-audit.js'
import type { ReviewMember, ReviewMembers, ReviewQueue } from './review-members.js'
import type { ActingStaff } from './staff-admin.js'

export interface StaffReviewDeps { reviewMembers: ReviewMembers, audit: AuditLog, recordAudit: RecordAudit }

/** A member as a reviewer sees them, with the member's history from the trail. */
export interface ReviewedMember extends ReviewMember { history: AuditEntry[] }

const HISTORY = 100

/**
 * The console's review work on the review use-case, with the staff member who does it on the
 * audit trail: every decision, every purge, and every look at a member's identity verification
 * files (recorded before the signed links leave the core; when the trail cannot be written, the
 * files are not shown).
 */
export const makeStaffReview = ({ reviewMembers, audit, recordAudit }: StaffReviewDeps) => ({
  queue: (query: { status: ReviewQueue['status'], search: string, page: number, pageSize: number }): Promise<ReviewQueue> => reviewMembers.queue(query),

  async member (by: ActingStaff, ref: string): Promise<ReviewedMember> {
    const reviewed = await reviewMembers.member(ref)
    const id = reviewed.view.user.id
    for (const file of reviewed.view.fileLinks) {
      await recordAudit(by.actor, 'member.file_viewed', { memberId: id, address: by.address, detail: { key: file.key } })
    }
    return { ...reviewed, history: await audit.list({ memberId: id, limit: HISTORY }) }
  },

  async approve (by: ActingStaff, ref: string): Promise<void> {
    const { member } = await reviewMembers.approve(ref)
    await recordAudit(by.actor, 'member.approved', { memberId: member.user.id, address: by.address })
  },

  async reject (by: ActingStaff, ref: string, reason: string): Promise<void> {
    const { member } = await reviewMembers.reject(ref, reason)
    await recordAudit(by.actor, 'member.rejected', { memberId: member.user.id, address: by.address, reason: reason.trim() })
  },

  async purgeFiles (by: ActingStaff, ref: string): Promise<void> {
    const { memberId, keys } = await reviewMembers.purgeFiles(ref)
    await recordAudit(by.actor, 'member.files_purged', { memberId, address: by.address, detail: { files: keys.length } })
  }
})

export type StaffReview = ReturnType<typeof makeStaffReview>
