import { NotFoundError, ValidationError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { UserStatus } from '../domain/user.js'
import type { AdminMemberView, AdminMembers } from './admin-members.js'
import type { AuditEntry, AuditLog } from './ports/audit-log.js'
import type { PhoneParser } from './ports/phone-parser.js'
import type { SharedKeyHolder, UserPage, UserRepository } from './ports/user-repository.js'
import type { RecordAudit } from './record-audit.js'
import type { ActingStaff } from './staff-admin.js'

export interface StaffReviewDeps { users: UserRepository, phones: PhoneParser, adminMembers: AdminMembers, audit: AuditLog, recordAudit: RecordAudit }

/** A member as a reviewer sees them: the record with signed file links, other accounts of the same person, the history. */
export interface ReviewedMember { view: AdminMemberView, duplicates: SharedKeyHolder[], history: AuditEntry[] }

const HISTORY = 100

/**
 * The console's review work. Decisions go through the same use-case as the JSON admin API (the
 * same pushes, the same end of a rejected member's tokens) and each lands on the audit trail, as
 * does every look at a member's identity verification files.
 */
export const makeStaffReview = ({ users, phones, adminMembers, audit, recordAudit }: StaffReviewDeps) => {
  const idOf = (uuid: string): string => {
    const id = fromShortUuid(uuid)
    if (id === null) throw new NotFoundError()
    return id
  }

  return {
    /** Pending members oldest first (the queue); other statuses newest first. A number typed any way finds its member. */
    async queue (input: { status: UserStatus | null, search: string, page: number, pageSize: number }): Promise<UserPage> {
      const text = input.search.trim()
      const mobile = text === '' ? null : phones.parse(text)
      return users.search({
        status: input.status,
        text: text === '' || mobile !== null ? null : text,
        mobile,
        order: input.status === 'pending' ? 'oldest' : 'newest',
        offset: (Math.max(input.page, 1) - 1) * input.pageSize,
        limit: input.pageSize
      })
    },

    /** Records one `member.file_viewed` per file shown before the links leave the core. */
    async member (by: ActingStaff, uuid: string): Promise<ReviewedMember> {
      const view = await adminMembers.show(uuid)
      const id = view.user.id
      for (const file of view.fileLinks) {
        await recordAudit(by.actor, 'member.file_viewed', { memberId: id, address: by.address, detail: { key: file.key } })
      }
      const [duplicates, history] = await Promise.all([users.findSharingUniqueKey(id), audit.list({ memberId: id, limit: HISTORY })])
      return { view, duplicates, history }
    },

    async approve (by: ActingStaff, uuid: string): Promise<void> {
      const { member } = await adminMembers.approve(uuid)
      await recordAudit(by.actor, 'member.approved', { memberId: member.user.id, address: by.address })
    },

    /** A rejection needs a reason a person wrote: the member may ask why. */
    async reject (by: ActingStaff, uuid: string, reason: string): Promise<void> {
      if (reason.trim() === '') throw ValidationError.of('reason', 'required')
      const { member } = await adminMembers.reject(uuid, reason.trim())
      await recordAudit(by.actor, 'member.rejected', { memberId: member.user.id, address: by.address, reason: reason.trim() })
    },

    /** Identity documents of a decided member leave storage through the durable deletion queue. */
    async purgeFiles (by: ActingStaff, uuid: string): Promise<number> {
      const id = idOf(uuid)
      const user = await users.findById(id)
      if (user === null) throw new NotFoundError()
      if (user.status === 'pending') throw ValidationError.of('status', 'invalid')
      const keys = await users.purgeVerificationFiles(id)
      if (keys === null) throw new NotFoundError()
      await recordAudit(by.actor, 'member.files_purged', { memberId: id, address: by.address, detail: { files: keys.length } })
      return keys.length
    }
  }
}

export type StaffReview = ReturnType<typeof makeStaffReview>
