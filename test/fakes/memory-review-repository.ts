import { sameDecisionState } from '../../src/domain/review-decision.js'
import type { ReviewRepository, UserPage, UserSearch } from '../../src/application/ports/records/review-repository.js'
import { byId, type MemoryUserState } from './memory-user-state.js'

/** The in-process twin of the SQL review store, with its compare-and-set decision write. */
export function createMemoryReviewRepository (state: MemoryUserState): ReviewRepository {
  const { users, order } = state

  return {
    // One synchronous step between the check and the write: the twin's critical section.
    async storeDecision (id, seen, decision, endSessionsAt) {
      const user = users.get(id)
      if (user === undefined || !sameDecisionState(user, seen)) return false
      user.status = decision.status
      user.rejectionReason = decision.rejectionReason
      user.decidedAt = decision.decidedAt === null ? null : new Date(decision.decidedAt)
      if (endSessionsAt !== undefined) user.tokensValidAfter = new Date(endSessionsAt)
      return true
    },

    async listByStatus (status, offset, limit): Promise<UserPage> {
      const matching = [...users.values()]
        .filter((user) => status === null || user.status === status)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || order.get(b.id)! - order.get(a.id)!)
      return { users: structuredClone(matching.slice(offset, offset + limit)), total: matching.length }
    },

    async search (query: UserSearch): Promise<UserPage> {
      // A plain substring test: the text is never a pattern here, so `%` and `_` are characters
      // as the SQL adapter's escaped ILIKE makes them; lower-casing folds as ILIKE does.
      const needle = query.text?.toLowerCase() ?? null
      const contains = (value: string | null | undefined) =>
        needle !== null && (value ?? '').toLowerCase().includes(needle)
      const direction = query.order === 'oldest' ? 1 : -1
      const matching = [...users.values()]
        .filter(user => query.status === null || user.status === query.status)
        .filter(user => query.mobile === null || user.mobile === query.mobile)
        .filter(
          user =>
            needle === null || contains(user.profile?.username) || contains(user.profile?.name) || contains(user.email)
        )
        .sort((a, b) => direction * (a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b)))
      return {
        users: structuredClone(matching.slice(query.offset, query.offset + query.limit)),
        total: matching.length
      }
    },

    async findSharingUniqueKey (id) {
      const key = users.get(id)?.profile?.uniqueKey ?? null
      if (key === null) return []
      return [...users.values()]
        .filter((other) => other.id !== id && other.profile?.uniqueKey === key)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b))
        .map((other) => ({ id: other.id, username: other.profile?.username ?? null, status: other.status }))
    }
  }
}
