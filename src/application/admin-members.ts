import { NotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { UserStatus } from '../domain/user.js'
import type { EndSessions } from './end-sessions.js'
import type { DescribeMember, MemberView } from './member-view.js'
import type { NotifyMember, PushReport } from './notify-member.js'
import type { FileStore } from './ports/file-store.js'
import type { MemberTexts } from './ports/member-texts.js'
import type { UserRepository } from './ports/user-repository.js'

export interface AdminMembersDeps {
  users: UserRepository
  describeMember: DescribeMember
  endSessions: EndSessions
  files: FileStore
  notifyMember: NotifyMember
  texts: MemberTexts
  readLinkTtlSeconds: number
}

/** A member as admins see them: verification files only as short-lived signed links. */
export interface AdminMemberView extends MemberView {
  fileLinks: Array<{ displayOrder: number, key: string, url: string }>
}

export interface AdminDecision { member: AdminMemberView, push: PushReport }

export const MAX_PAGE_SIZE = 100

/** What admins do with members: list by status, look at one, approve or reject. */
export const makeAdminMembers = ({ users, describeMember, endSessions, files, notifyMember, texts, readLinkTtlSeconds }: AdminMembersDeps) => {
  const withLinks = async (view: MemberView): Promise<AdminMemberView> => ({
    ...view,
    fileLinks: await Promise.all((view.user.profile?.verificationFiles ?? []).map(async (file) =>
      ({ displayOrder: file.displayOrder, key: file.key, url: await files.presignRead(file.key, readLinkTtlSeconds) })))
  })

  const idOf = (uuid: string): string => {
    const id = fromShortUuid(uuid)
    if (id === null) throw new NotFoundError()
    return id
  }

  const show = async (id: string): Promise<AdminMemberView> => {
    const user = await users.findProfileById(id)
    if (user === null) throw new NotFoundError()
    return withLinks(await describeMember.describe(user))
  }

  return {
    async list (input: { status: UserStatus | null, page: number, pageSize: number }): Promise<{ members: AdminMemberView[], total: number }> {
      const pageSize = Math.min(Math.max(input.pageSize, 1), MAX_PAGE_SIZE)
      const { users: found, total } = await users.listByStatus(input.status, (Math.max(input.page, 1) - 1) * pageSize, pageSize)
      return { members: await Promise.all(found.map(async (user) => withLinks(await describeMember.describe(user)))), total }
    },

    show: async (uuid: string): Promise<AdminMemberView> => show(idOf(uuid)),

    /** Approves, then tells the member's devices; a push failure never undoes the approval. */
    async approve (uuid: string): Promise<AdminDecision> {
      const id = idOf(uuid)
      if (!await users.setStatus(id, 'approved', null)) throw new NotFoundError()
      const member = await show(id)
      return { member, push: await notifyMember(id, texts.statusPush(member.user.language, 'approved')) }
    },

    /** A rejection also ends every session the member has (their refresh tokens too). */
    async reject (uuid: string, reason: string | null): Promise<AdminDecision> {
      const id = idOf(uuid)
      if (!await endSessions.reject(id, reason)) throw new NotFoundError()
      const member = await show(id)
      return { member, push: await notifyMember(id, texts.statusPush(member.user.language, 'rejected')) }
    }
  }
}
