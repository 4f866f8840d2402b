import type { ProviderRevocations } from '../../src/application/ports/records/provider-revocations.js'
import type { MemoryUserState } from './memory-user-state.js'

/** The in-process twin of the SQL revocation queue, filled by unlinking and by deleting members. */
export function createMemoryProviderRevocations (state: MemoryUserState): ProviderRevocations {
  const queue = state.providerRevocations

  return {
    async due (now, limit) {
      return [...queue]
        .filter(([, queued]) => queued.notBefore <= now.getTime())
        .sort(([, a], [, b]) => a.notBefore - b.notBefore || a.queuedAt - b.queuedAt)
        .slice(0, limit)
        .map(([id, { provider, token, clientId }]) => ({ id, provider, token, clientId }))
    },

    async complete (id) {
      queue.delete(id)
    },

    async postpone (id, notBefore) {
      const queued = queue.get(id)
      if (queued === undefined) return
      queued.notBefore = notBefore.getTime()
      queued.attempts++
    }
  }
}
