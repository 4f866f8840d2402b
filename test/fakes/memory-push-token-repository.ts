import type { PushTokenRepository } from '../../src/application/ports/records/push-token-repository.js'
import { addPushToken, type MemoryUserState } from './memory-user-state.js'

/** The in-process twin of the SQL push-token store: one owner per token. */
export function createMemoryPushTokenRepository (state: MemoryUserState): PushTokenRepository {
  return {
    add: async (userId, token) => addPushToken(state, userId, token),

    async list (userId) {
      return [...state.pushTokens].filter(([, owner]) => owner.userId === userId).map(([token]) => token).sort()
    },

    async remove (token) {
      state.pushTokens.delete(token)
    }
  }
}
