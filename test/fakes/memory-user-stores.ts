import type { Clock } from '../../src/application/ports/system/clock.js'
import type { Ports } from '../../src/application/ports/ports.js'
import { createMemoryAccountRepository } from './memory-account-repository.js'
import { createMemoryEmailChangeRepository } from './memory-email-change-repository.js'
import { createMemoryIdentityConfirmations } from './memory-identity-confirmations.js'
import { createMemoryLinkedIdentities } from './memory-linked-identities.js'
import { createMemoryPasskeys } from './memory-passkeys.js'
import { createMemoryProviderRevocations } from './memory-provider-revocations.js'
import { createMemoryFileDeletionQueue } from './memory-file-deletion-queue.js'
import { createMemoryPushTokenRepository } from './memory-push-token-repository.js'
import { createMemoryReviewRepository } from './memory-review-repository.js'
import { createMemoryUserState } from './memory-user-state.js'

export type UserStores = Pick<
  Ports,
  | 'accounts'
  | 'emailChanges'
  | 'review'
  | 'fileDeletions'
  | 'pushTokens'
  | 'identities'
  | 'linkedIdentities'
  | 'passkeys'
  | 'providerRevocations'
>

/** The member stores over one in-memory state, as the SQL adapters share one database. */
export function createMemoryUserStores (clock: Clock): UserStores {
  const state = createMemoryUserState(clock)
  return {
    accounts: createMemoryAccountRepository(state),
    emailChanges: createMemoryEmailChangeRepository(state),
    review: createMemoryReviewRepository(state),
    fileDeletions: createMemoryFileDeletionQueue(state),
    pushTokens: createMemoryPushTokenRepository(state),
    identities: createMemoryIdentityConfirmations(state),
    linkedIdentities: createMemoryLinkedIdentities(state),
    passkeys: createMemoryPasskeys(state),
    providerRevocations: createMemoryProviderRevocations(state)
  }
}
