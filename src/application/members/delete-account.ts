import type { Principal } from '../sign-in/authenticate.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { PurgeDeletedFiles, PurgeReport } from '../files/purge-deleted-files.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { RevokeProviderTokens } from '../linked-sign-in/revoke-provider-tokens.js'

/** How many due provider tokens a deletion revokes before answering (its own, and a few left over). */
const DELETION_REVOCATIONS = 5

export interface DeleteAccountDeps {
  accounts: AccountRepository
  purgeFiles: PurgeDeletedFiles
  recordAudit: RecordAudit
  forgetSessions: (userId: string) => Promise<void>
  /** Apple's refresh tokens, queued by the deletion, revoked right after it (the sweeper retries). */
  revokeProviderTokens: RevokeProviderTokens
}

/**
 * Deletes the user and all that is theirs. Their tokens name a user id that no longer exists,
 * so every one of them answers USER_NOT_FOUND from then on, on every instance. Their stored files
 * go right after; a file the store refuses to delete stays queued for the sweeper and never
 * fails the deletion of the account. So with the provider tokens the deletion queued (Apple's).
 */
export const makeDeleteAccount = (
  { accounts, purgeFiles, recordAudit, forgetSessions, revokeProviderTokens }: DeleteAccountDeps
) =>
  async function deleteAccount (principal: Principal, input: { client: string }): Promise<PurgeReport> {
    const memberId = principal.userId
    const keys = await accounts.delete(memberId)
    await forgetSessions(memberId)
    // Null: a concurrent deletion got there first and recorded it. The entry keeps the bare uuid,
    // so it outlives the member; the files are queued already, so a failure here loses none.
    if (keys !== null) {
      await recordAudit({ kind: 'member', memberId }, 'member.deleted', {
        memberId,
        address: input.client,
        detail: { door: 'email' }
      })
    }
    // Apple down does not stop the deletion: the tokens stay queued for the sweeper. A small batch:
    // the deletion revokes its own tokens (just queued, so due) and leaves a backlog to the sweeper.
    await revokeProviderTokens(DELETION_REVOCATIONS).catch(() => {})
    return keys === null || keys.length === 0 ? { deleted: 0, failed: 0 } : purgeFiles.keys(keys)
  }
