import type { Principal } from './authenticate.js'
import type { UserRepository } from './ports/user-repository.js'
import type { PurgeDeletedFiles, PurgeReport } from './purge-deleted-files.js'

export interface DeleteAccountDeps { users: UserRepository, purgeFiles: PurgeDeletedFiles }

/**
 * Deletes the user and all that is theirs. Their tokens name a user id that no longer exists,
 * so every one of them answers USER_NOT_FOUND from then on, on every instance. Their stored files
 * go right after; a file the store refuses to delete stays queued for the sweeper and never
 * fails the deletion of the account.
 */
export const makeDeleteAccount = ({ users, purgeFiles }: DeleteAccountDeps) =>
  async function deleteAccount (principal: Principal): Promise<PurgeReport> {
    const keys = await users.delete(principal.userId)
    return keys === null || keys.length === 0 ? { deleted: 0, failed: 0 } : purgeFiles.keys(keys)
  }
