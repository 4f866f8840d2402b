import type { Principal } from './authenticate.js'
import { UserNotFoundError } from '../domain/errors.js'
import type { User } from '../domain/user.js'
import type { DescribeMember, MemberView } from './member-view.js'
import type { UserRepository } from './ports/user-repository.js'

export interface GetMeDeps { describeMember: DescribeMember }

/** The caller's own user with their profile resolved (seed 1's user object). */
export const makeGetMe = ({ describeMember }: GetMeDeps) =>
  async function getMe (principal: Principal): Promise<MemberView> {
    return describeMember.describeById(principal.userId) // USER_NOT_FOUND if deleted meanwhile
  }

/** The caller's account without the profile (seed 2's `/auth/me`): one primary-key read. */
export const makeGetAccount = ({ users }: { users: UserRepository }) =>
  async function getAccount (principal: Principal): Promise<User> {
    const user = await users.findById(principal.userId)
    if (user === null) throw new UserNotFoundError() // deleted meanwhile
    return user
  }
