import type { FileDeletionQueue } from '../../src/application/ports/records/file-deletion-queue.js'
import { byId, queueFileDeletions, type MemoryUserState } from './memory-user-state.js'

/** The in-process twin of the SQL file-deletion queue. */
export function createMemoryFileDeletionQueue (state: MemoryUserState): FileDeletionQueue {
  const { users, fileDeletions } = state

  return {
    async purgeVerificationFiles (id) {
      const user = users.get(id)
      if (user === undefined) return null
      const keys = user.profile?.verificationFiles.map((file) => file.key) ?? []
      if (user.profile !== null) user.profile.verificationFiles = []
      queueFileDeletions(state, keys)
      return keys
    },

    async dueVerificationPurges (decidedBefore, limit) {
      return [...users.values()]
        .filter(
          user =>
            user.status !== 'pending' &&
            user.decidedAt !== null &&
            user.decidedAt < decidedBefore &&
            (user.profile?.verificationFiles.length ?? 0) > 0
        )
        .sort((a, b) => a.decidedAt!.getTime() - b.decidedAt!.getTime() || byId(a, b))
        .slice(0, limit)
        .map(user => user.id)
    },

    async dueFileDeletions (now, limit) {
      return [...fileDeletions]
        .filter(([, entry]) => entry.notBefore <= now.getTime())
        .sort(([keyA, a], [keyB, b]) => a.notBefore - b.notBefore || (keyA < keyB ? -1 : 1))
        .slice(0, limit)
        .map(([key]) => key)
    },

    async completeFileDeletion (key) {
      fileDeletions.delete(key)
    },

    async postponeFileDeletion (key, notBefore) {
      const entry = fileDeletions.get(key)
      if (entry !== undefined) entry.notBefore = notBefore.getTime()
    }
  }
}
