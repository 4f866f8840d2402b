import type { Redis } from 'ioredis'
import type { Standing, UserRepository } from '../../application/ports/user-repository.js'
import type { UserStatus } from '../../domain/user.js'
import { redisCall } from './redis-client.js'

/** How long a copy lives without a write: it bounds what a lost cache write could leave stale. */
export const STANDING_TTL_MS = 10 * 60_000

const GONE = 'gone'

/**
 * Each user's standing (status and sign-out instant) copied into Redis, so a refresh, the
 * hottest route of the phone door, needs no database read. The database stays the source of
 * truth: a miss reads it and fills the copy only if no writer got there first (SET NX); every
 * write that changes a standing commits to the database first, then reads it back and overwrites
 * the copy, on whichever instance made the change, so every instance sees it at once.
 */
export function withRedisStandingCache (users: UserRepository, redis: Redis): UserRepository {
  const key = (id: string) => `standing:${id}`
  const encode = (standing: Standing | null) => standing === null ? GONE : JSON.stringify({ s: standing.status, v: standing.tokensValidAfter?.getTime() ?? null })
  const decode = (text: string): Standing | null => {
    if (text === GONE) return null
    const { s, v } = JSON.parse(text) as { s: UserStatus, v: number | null }
    return { status: s, tokensValidAfter: v === null ? null : new Date(v) }
  }
  const refresh = async (id: string): Promise<void> => {
    const standing = await users.findStanding(id)
    await redisCall(() => redis.set(key(id), encode(standing), 'PX', STANDING_TTL_MS))
  }

  return {
    findById: (id) => users.findById(id),
    findProfileById: (id) => users.findProfileById(id),
    findByEmail: (email) => users.findByEmail(email),
    findByMobile: (mobile) => users.findByMobile(mobile),
    dueFileDeletions: (now, limit) => users.dueFileDeletions(now, limit),
    completeFileDeletion: (key) => users.completeFileDeletion(key),
    postponeFileDeletion: (key, notBefore) => users.postponeFileDeletion(key, notBefore),
    addPushToken: (userId, token) => users.addPushToken(userId, token),
    listPushTokens: (userId) => users.listPushTokens(userId),
    removePushToken: (token) => users.removePushToken(token),
    listByStatus: (status, offset, limit) => users.listByStatus(status, offset, limit),
    ping: () => users.ping(),

    async findStanding (id) {
      const cached = await redisCall(() => redis.get(key(id)))
      if (cached !== null) return decode(cached)
      const standing = await users.findStanding(id)
      await redisCall(() => redis.set(key(id), encode(standing), 'PX', STANDING_TTL_MS, 'NX'))
      return standing
    },
    async create (user) {
      const created = await users.create(user)
      await refresh(user.id)
      return created
    },
    async setStatus (id, status, reason) {
      const found = await users.setStatus(id, status, reason)
      if (found) await refresh(id)
      return found
    },
    async setTokensValidAfter (id, instant) {
      await users.setTokensValidAfter(id, instant)
      await refresh(id)
    },
    async delete (id) {
      const keys = await users.delete(id)
      await refresh(id)
      return keys
    }
  }
}
