import { DuplicateValueError } from '../../src/domain/errors.js'
import type { Passkeys } from '../../src/application/ports/records/passkeys.js'
import type { MemoryUserState } from './memory-user-state.js'

/** The in-process twin of the SQL passkeys, over the member stores' state: a passkey goes with its member. */
export function createMemoryPasskeys (state: MemoryUserState): Passkeys {
  const { users, passkeys } = state

  return {
    async add (passkey) {
      if (passkeys.has(passkey.credentialId)) throw new DuplicateValueError('passkey')
      if (!users.has(passkey.memberId)) return false
      passkeys.set(passkey.credentialId, structuredClone(passkey))
      return true
    },

    async find (credentialId) {
      const found = passkeys.get(credentialId)
      return found === undefined ? null : structuredClone(found)
    },

    async listByMember (memberId) {
      return [...passkeys.values()]
        .filter(passkey => passkey.memberId === memberId)
        .sort((a, b) =>
          a.createdAt.getTime() - b.createdAt.getTime() ||
          (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0))
        .map(passkey => structuredClone(passkey))
    },

    // The SQL adapter's conditional update: forward only, or 0 again where the authenticator keeps no counter.
    async recordUse (credentialId, use) {
      const found = passkeys.get(credentialId)
      if (found === undefined) return false
      if (!(found.counter < use.counter || (use.counter === 0 && found.counter === 0))) return false
      found.counter = use.counter
      found.backedUp = use.backedUp
      found.lastUsedAt = new Date(use.at)
      return true
    },

    async remove (memberId, credentialId) {
      const found = passkeys.get(credentialId)
      if (found === undefined || found.memberId !== memberId) return false
      passkeys.delete(credentialId)
      return true
    }
  }
}
