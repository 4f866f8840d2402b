import { DuplicateValueError } from '../../src/domain/errors.js'
import type { EmailChangeRepository } from '../../src/application/ports/records/email-change-repository.js'
import type { MemoryUserState } from './memory-user-state.js'

/** The in-process twin of the SQL address-change store: a unique email, a change in one step. */
export function createMemoryEmailChangeRepository (state: MemoryUserState): EmailChangeRepository {
  const { users, pendingEmails } = state
  const assertFree = (id: string, email: string) => {
    for (const other of users.values()) {
      if (other.id !== id && other.email === email) throw new DuplicateValueError('email')
    }
  }

  return {
    async stageEmail (id, email, passwordHash) {
      if (!users.has(id)) return false
      assertFree(id, email)
      pendingEmails.set(id, { email, passwordHash })
      return true
    },

    findPendingEmail: async (id) => users.has(id) ? pendingEmails.get(id)?.email ?? null : null,

    async confirmEmail (id, at) {
      const user = users.get(id)
      if (user === undefined) return null
      const pending = pendingEmails.get(id)
      if (pending === undefined) {
        if (user.email === null) return null
        user.emailVerifiedAt = new Date(at)
        return { email: user.email, previous: null }
      }
      assertFree(id, pending.email)
      const previous = user.email === pending.email ? null : user.email
      user.email = pending.email
      if (pending.passwordHash !== null) user.passwordHash = pending.passwordHash
      user.emailVerifiedAt = new Date(at)
      pendingEmails.delete(id)
      return { email: pending.email, previous }
    },

    async markEmailVerified (id, at) {
      const user = users.get(id)
      if (user !== undefined && user.email !== null) user.emailVerifiedAt = new Date(at)
    },

    async claimByEmail (id, at) {
      const user = users.get(id)
      if (user === undefined) return null
      if (user.emailVerifiedAt !== null) return { removedMobile: null, removedPendingEmail: null }
      const removed = { removedMobile: user.mobile, removedPendingEmail: pendingEmails.get(id)?.email ?? null }
      user.emailVerifiedAt = new Date(at)
      user.mobile = null
      pendingEmails.delete(id)
      return removed
    }
  }
}
