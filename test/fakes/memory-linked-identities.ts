import { DuplicateValueError } from '../../src/domain/errors.js'
import type { LinkedIdentity } from '../../src/domain/sign-in-provider.js'
import type { LinkedIdentities } from '../../src/application/ports/records/linked-identities.js'
import {
  identityKey,
  queueProviderRevocations,
  type MemoryUserState,
  type StoredIdentity
} from './memory-user-state.js'

/**
 * The in-process twin of the SQL provider identities, over the member stores' state: the key is
 * (provider, subject), an identity goes with its member, and unlinking queues its kept token.
 */
export function createMemoryLinkedIdentities (state: MemoryUserState): LinkedIdentities {
  const { users, linkedIdentities } = state
  const copy = ({ refresh: _refresh, ...identity }: StoredIdentity): LinkedIdentity => structuredClone(identity)

  return {
    // The primary key is checked before the foreign key, as PostgreSQL does.
    async link (identity) {
      const key = identityKey(identity.provider, identity.subject)
      if (linkedIdentities.has(key)) throw new DuplicateValueError('identity')
      if (!users.has(identity.memberId)) return false
      linkedIdentities.set(key, { ...structuredClone(identity), refresh: null })
      return true
    },

    async find (provider, subject) {
      const found = linkedIdentities.get(identityKey(provider, subject))
      return found === undefined ? null : copy(found)
    },

    async listByMember (memberId) {
      return [...linkedIdentities.values()]
        .filter(identity => identity.memberId === memberId)
        .sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime() || byKey(a, b))
        .map(copy)
    },

    async touch (provider, subject, at, email) {
      const found = linkedIdentities.get(identityKey(provider, subject))
      if (found === undefined) return
      found.lastUsedAt = new Date(at)
      found.email = email.email
      found.emailVerified = email.verified
    },

    async keepRefreshToken (provider, subject, token) {
      const found = linkedIdentities.get(identityKey(provider, subject))
      if (found !== undefined) found.refresh = { ...token }
    },

    // Removal and queueing in one synchronous step: the twin's transaction.
    async unlink (memberId, provider, subject) {
      const key = identityKey(provider, subject)
      const found = linkedIdentities.get(key)
      if (found === undefined || found.memberId !== memberId) return false
      linkedIdentities.delete(key)
      queueProviderRevocations(state, [found])
      return true
    }
  }
}

const byKey = (a: StoredIdentity, b: StoredIdentity): number => {
  const [x, y] = [identityKey(a.provider, a.subject), identityKey(b.provider, b.subject)]
  return x < y ? -1 : x > y ? 1 : 0
}
