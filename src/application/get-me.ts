import { UserNotFoundError } from '../domain/errors.js'
import type { UserWithProfile } from '../domain/user.js'
import type { Principal } from './authenticate.js'
import type { UserRepository } from './ports/user-repository.js'

export interface GetMeDeps { users: UserRepository }

/** The caller's own account with its profile (phone door fields when they have them). */
export const makeGetMe = ({ users }: GetMeDeps) =>
  async function getMe (principal: Principal): Promise<UserWithProfile> {
    const user = await users.findProfileById(principal.user.id)
    if (user === null) throw new UserNotFoundError() // deleted between authentication and now
    return user
  }
