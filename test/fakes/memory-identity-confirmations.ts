import type { IdentityConfirmation } from '../../src/domain/identity.js'
import type { IdentityConfirmations } from '../../src/application/ports/records/identity-confirmations.js'
import { assertIdentityFree, byId, storeIdentity, type MemoryUserState } from './memory-user-state.js'

/**
 * The in-process twin of the SQL identity store, over the member stores' state: a confirmation
 * goes when its member is deleted, the used verification ids stay.
 */
export function createMemoryIdentityConfirmations (state: MemoryUserState): IdentityConfirmations {
  const { users, identities } = state
  return {
    // Checks and writes in one synchronous step: the twin's transaction.
    async attach (memberId: string, confirmation: IdentityConfirmation, carrier: string | null) {
      const profile = users.get(memberId)?.profile ?? null
      if (profile === null) return false
      assertIdentityFree(state, memberId, confirmation)
      storeIdentity(state, memberId, confirmation)
      profile.uniqueKey = confirmation.ci
      profile.uniqueInSite = confirmation.di
      profile.carrier = profile.carrier ?? carrier
      return true
    },

    async find (memberId) {
      const found = identities.get(memberId)
      return found === undefined ? null : structuredClone(found)
    },

    async holdersOfCi (ci, exceptId) {
      return [...identities]
        .filter(([id, identity]) => identity.ci === ci && id !== exceptId && users.has(id))
        .map(([id]) => users.get(id)!)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b))
        .map(user => user.id)
    }
  }
}
