import { NotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { UserStatus } from '../domain/user.js'
import type { EndSessions } from './end-sessions.js'
import { makeMemberDecisions, makeWithFileLinks, type Decided, type MemberWithFileLinks } from './member-review-shared.js'
import type { DescribeMember } from './member-view.js'
import type { NotifyMember } from './notify-member.js'
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
export type AdminMemberView = MemberWithFileLinks

export type AdminDecision = Decided<AdminMemberView>

export const MAX_PAGE_SIZE = 100

/** What admins do with members: list by status, look at one, approve or reject. */
export const makeAdminMembers = ({ users, describeMember, endSessions, files, notifyMember, texts, readLinkTtlSeconds }: AdminMembersDeps) => {
  const withLinks = makeWithFileLinks({ files, readLinkTtlSeconds })
  const decisions = makeMemberDecisions({ users, endSessions, notifyMember, texts })

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
    approve: async (uuid: string): Promise<AdminDecision> => decisions.approve(idOf(uuid), show),

    /** A rejection also ends every session the member has (their refresh tokens too). */
    reject: async (uuid: string, reason: string | null): Promise<AdminDecision> => decisions.reject(idOf(uuid), reason, show)
  }
}

export type AdminMembers = ReturnType<typeof makeAdminMembers>
