import { sameDecisionState } from '../../src/domain/review-decision.js'
import {
  MAX_CARRIERS,
  type ReviewRepository,
  type SearchCounts,
  type SearchPage,
  type UserPage,
  type UserSearch
} from '../../src/application/ports/records/review-repository.js'
import { USER_STATUSES, type UserStatus, type UserWithProfile } from '../../src/domain/user.js'
import { byId, laterCutoff, type MemoryUserState } from './memory-user-state.js'

// Code point order, as the SQL adapter's `collate "C"` sorts (UTF-16 units agree for the BMP).
const byText = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

/** The in-process twin of the SQL review store, with its compare-and-set decision write. */
export function createMemoryReviewRepository (state: MemoryUserState): ReviewRepository {
  const { users, order } = state

  const sharesKey = (user: UserWithProfile): boolean => {
    const key = user.profile?.uniqueKey ?? null
    return key !== null && [...users.values()].some(other => other.id !== user.id && other.profile?.uniqueKey === key)
  }

  const matches = (query: UserSearch) => {
    // A plain substring test: the text is never a pattern here, so `%` and `_` are characters
    // as the SQL adapter's escaped ILIKE makes them; lower-casing folds as ILIKE does.
    const needle = query.text?.toLowerCase() ?? null
    const contains = (value: string | null | undefined) =>
      needle !== null && (value ?? '').toLowerCase().includes(needle)
    return (user: UserWithProfile): boolean =>
      (query.status === null || user.status === query.status) &&
      (query.mobile === null || user.mobile === query.mobile) &&
      (needle === null || contains(user.profile?.username) || contains(user.profile?.name) || contains(user.email)) &&
      (query.signedUpFrom == null || user.createdAt.getTime() >= query.signedUpFrom.getTime()) &&
      (query.signedUpBefore == null || user.createdAt.getTime() < query.signedUpBefore.getTime()) &&
      (query.foreigner == null || user.profile?.foreigner === query.foreigner) &&
      (query.carrier == null || user.profile?.carrier === query.carrier) &&
      (query.duplicate == null || sharesKey(user) === query.duplicate) &&
      (query.identity == null || state.identities.has(user.id) === (query.identity === 'confirmed'))
  }

  const orderOf = (query: UserSearch) => {
    const signUp = (a: UserWithProfile, b: UserWithProfile) =>
      a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b)
    const now = (query.now ?? state.clock.now()).getTime()
    const waited = (user: UserWithProfile) => (user.decidedAt?.getTime() ?? now) - user.createdAt.getTime()
    switch (query.order) {
      case 'oldest': return signUp
      case 'newest': return (a: UserWithProfile, b: UserWithProfile) => -signUp(a, b)
      case 'waiting': return (a: UserWithProfile, b: UserWithProfile) => waited(b) - waited(a) || signUp(a, b)
      case 'name': return (a: UserWithProfile, b: UserWithProfile) => {
        const [x, y] = [a.profile?.name ?? null, b.profile?.name ?? null]
        if (x !== y) {
          if (x === null) return 1
          if (y === null) return -1
          const named = byText(x, y)
          if (named !== 0) return named
        }
        return signUp(a, b)
      }
    }
  }

  return {
    // One synchronous step between the check and the write: the twin's critical section.
    async storeDecision (id, seen, decision, endSessionsAt) {
      const user = users.get(id)
      if (user === undefined || !sameDecisionState(user, seen)) return false
      user.status = decision.status
      user.rejectionReason = decision.rejectionReason
      user.decidedAt = decision.decidedAt === null ? null : new Date(decision.decidedAt)
      if (endSessionsAt !== undefined) user.tokensValidAfter = laterCutoff(user.tokensValidAfter, endSessionsAt)
      return true
    },

    async listByStatus (status, offset, limit): Promise<UserPage> {
      const matching = [...users.values()]
        .filter((user) => status === null || user.status === status)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || order.get(b.id)! - order.get(a.id)!)
      return { users: structuredClone(matching.slice(offset, offset + limit)), total: matching.length }
    },

    async search (query: UserSearch): Promise<SearchPage> {
      const matching = [...users.values()].filter(matches(query)).sort(orderOf(query))
      const page = matching.slice(query.offset, query.offset + query.limit)
      return {
        users: structuredClone(page),
        total: matching.length,
        duplicateIds: page.filter(sharesKey).map(user => user.id),
        confirmedIds: page.filter(user => state.identities.has(user.id)).map(user => user.id)
      }
    },

    async countSearch (query: UserSearch): Promise<SearchCounts> {
      const all = [...users.values()]
      const statuses = Object.fromEntries(USER_STATUSES.map(status => [status, 0])) as Record<UserStatus, number>
      for (const user of all.filter(matches({ ...query, status: null }))) statuses[user.status]++
      const carriers = new Map<string, number>()
      for (const user of all.filter(matches({ ...query, carrier: null }))) {
        const carrier = user.profile?.carrier ?? null
        if (carrier !== null) carriers.set(carrier, (carriers.get(carrier) ?? 0) + 1)
      }
      return {
        statuses,
        carriers: [...carriers]
          .map(([carrier, count]) => ({ carrier, count }))
          .sort((a, b) => b.count - a.count || byText(a.carrier, b.carrier))
          .slice(0, MAX_CARRIERS)
      }
    },

    async findSharingUniqueKey (id) {
      const key = users.get(id)?.profile?.uniqueKey ?? null
      if (key === null) return []
      return [...users.values()]
        .filter((other) => other.id !== id && other.profile?.uniqueKey === key)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b))
        .map((other) => ({
          id: other.id,
          username: other.profile?.username ?? null,
          status: other.status,
          confirmed: state.identities.get(other.id)?.ci === key
        }))
    }
  }
}
