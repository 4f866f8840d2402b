import type { Redis } from 'ioredis'
import type { Clock } from '../../application/ports/clock.js'
import type { MemberSession, SessionRegistry } from '../../application/ports/session-registry.js'
import { redisCall } from './redis-client.js'

interface Stored { device: string | null, ip: string | null, createdAt: number, lastUsedAt: number, expiresAt: number }

// One hash per member (field: session id), living as long as its longest session. A touch rewrites
// one field; a session that expired stays in the hash until the next list or open prunes it.
const key = (userId: string) => `sessions:${userId}`

/**
 * Write a session's field (ARGV[4] = '1': only if it is still there, so a closed session never
 * comes back) and make the hash live at least as long as it.
 */
const WRITE = `
if ARGV[4] == '1' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`

/** Member sessions in Redis, shared by every instance. */
export function createRedisSessionRegistry (redis: Redis, clock: Clock): SessionRegistry {
  const lifeMs = (until: Date) => String(Math.max(until.getTime() - clock.now().getTime(), 1))
  const decode = (userId: string, id: string, text: string): MemberSession => {
    const stored = JSON.parse(text) as Stored
    return { id, userId, device: stored.device, ip: stored.ip, createdAt: new Date(stored.createdAt), lastUsedAt: new Date(stored.lastUsedAt), expiresAt: new Date(stored.expiresAt) }
  }
  const encode = (session: Pick<MemberSession, 'device' | 'ip' | 'createdAt' | 'lastUsedAt' | 'expiresAt'>): string =>
    JSON.stringify({ device: session.device, ip: session.ip, createdAt: session.createdAt.getTime(), lastUsedAt: session.lastUsedAt.getTime(), expiresAt: session.expiresAt.getTime() } satisfies Stored)
  const all = async (userId: string) => Object.entries(await redis.hgetall(key(userId))).map(([id, text]) => decode(userId, id, text))

  return {
    open: (session) => redisCall(async () => {
      await redis.eval(WRITE, 1, key(session.userId), session.id, encode(session), lifeMs(session.expiresAt), '0')
    }),

    touch: (userId, id, use) => redisCall(async () => {
      const text = await redis.hget(key(userId), id)
      if (text === null) return
      const session = decode(userId, id, text)
      const expiresAt = use.expiresAt !== undefined && use.expiresAt > session.expiresAt ? use.expiresAt : session.expiresAt
      const updated = encode({ ...session, lastUsedAt: use.at, ip: use.ip ?? session.ip, expiresAt })
      await redis.eval(WRITE, 1, key(userId), id, updated, lifeMs(expiresAt), '1')
    }),

    list: (userId, now) => redisCall(async () => {
      const sessions = await all(userId)
      const expired = sessions.filter((session) => session.expiresAt <= now).map((session) => session.id)
      if (expired.length > 0) await redis.hdel(key(userId), ...expired)
      return sessions.filter((session) => session.expiresAt > now)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    }),

    close: (userId, id, now) => redisCall(async () => {
      const [[, text], [, removed]] = await redis.multi().hget(key(userId), id).hdel(key(userId), id).exec() as [[null, string | null], [null, number]]
      if (text === null || removed === 0) return null
      const session = decode(userId, id, text)
      return session.expiresAt > now ? session : null
    }),

    closeAll: (userId) => redisCall(async () => { await redis.del(key(userId)) })
  }
}
