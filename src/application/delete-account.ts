import type { Principal } from './authenticate.js'
import type { UserRepository } from './ports/user-repository.js'

export interface DeleteAccountDeps { users: UserRepository }

/**
 * Deletes the user and all that is theirs. Their tokens name a user id that no longer exists,
 * so every one of them answers USER_NOT_FOUND from then on, on every instance.
 */
export const makeDeleteAccount = ({ users }: DeleteAccountDeps) =>
  async function deleteAccount (principal: Principal): Promise<void> {
    await users.delete(principal.user.id)
  }
