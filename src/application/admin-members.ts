import { NotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { UserStatus } from '../domain/user.js'
import type { DescribeMember, MemberView } from './member-view.js'
import type { Clock } from './ports/clock.js'
import type { UserRepository } from './ports/user-repository.js'

export interface AdminMembersDeps { users: UserRepository, describeMember: DescribeMember, clock: Clock }

export const MAX_PAGE_SIZE = 100

/** What admins do with members: list by status, look at one, approve or reject. */
export const makeAdminMembers = ({ users, describeMember, clock }: AdminMembersDeps) => {
  const idOf = (uuid: string): string => {
    const id = fromShortUuid(uuid)
    if (id === null) throw new NotFoundError()
    return id
  }

  return {
    async list (input: { status: UserStatus | null, page: number, pageSize: number }): Promise<{ members: MemberView[], total: number }> {
      const pageSize = Math.min(Math.max(input.pageSize, 1), MAX_PAGE_SIZE)
      const { users: found, total } = await users.listByStatus(input.status, (Math.max(input.page, 1) - 1) * pageSize, pageSize)
      return { members: await Promise.all(found.map((user) => describeMember.describe(user))), total }
    },

    async show (uuid: string): Promise<MemberView> {
      const user = await users.findProfileById(idOf(uuid))
      if (user === null) throw new NotFoundError()
      return describeMember.describe(user)
    },

    async approve (uuid: string): Promise<MemberView> {
      const id = idOf(uuid)
      if (!await users.setStatus(id, 'approved', null)) throw new NotFoundError()
      return this.show(uuid)
    },

    /** A rejection also ends every session the member has (their refresh tokens too). */
    async reject (uuid: string, reason: string | null): Promise<MemberView> {
      const id = idOf(uuid)
      if (!await users.setStatus(id, 'rejected', reason)) throw new NotFoundError()
      await users.setTokensValidAfter(id, clock.now())
      return this.show(uuid)
    }
  }
}
