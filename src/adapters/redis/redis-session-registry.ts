import type { Result } from 'ioredis'
import type { Clock } from '../../application/ports/system/clock.js'
import type { MemberSession, SessionRegistry } from '../../application/ports/shared-state/session-registry.js'
import { redisCall, type RedisClient } from './redis-client.js'

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

/**
 * A use of a session, read, merged and written in one round trip (a refresh's: bench/profile.ts
 * showed its two commands, read then write, as a tenth of a refresh's Redis work). ARGV: id, the
 * use's instant (ms), its address ('' keeps the last one), the expiry it asks for ('' keeps it;
 * never earlier), the caller's now (ms) for the hash's life. A closed session stays closed.
 */
const TOUCH = `
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return 0 end
local session = cjson.decode(text)
session.lastUsedAt = tonumber(ARGV[2])
if ARGV[3] ~= '' then session.ip = ARGV[3] end
if ARGV[4] ~= '' and tonumber(ARGV[4]) > session.expiresAt then session.expiresAt = tonumber(ARGV[4]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(session))
local life = math.max(session.expiresAt - tonumber(ARGV[5]), 1)
if redis.call('PTTL', KEYS[1]) < life then redis.call('PEXPIRE', KEYS[1], life) end
return 1`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    touchSession(
      key: string,
      id: string,
      at: string,
      ip: string,
      expiresAt: string,
      now: string
    ): Result<number, Context>
  }
}

/** Member sessions in Redis, shared by every instance. */
export function createRedisSessionRegistry (redis: RedisClient, clock: Clock): SessionRegistry {
  // Every refresh runs it: EVALSHA, not the script's text each time.
  redis.defineCommand('touchSession', { numberOfKeys: 1, lua: TOUCH })
  const lifeMs = (until: Date) => String(Math.max(until.getTime() - clock.now().getTime(), 1))
  const decode = (userId: string, id: string, text: string): MemberSession => {
    const stored = JSON.parse(text) as Stored
    return {
      id,
      userId,
      device: stored.device,
      ip: stored.ip,
      createdAt: new Date(stored.createdAt),
      lastUsedAt: new Date(stored.lastUsedAt),
      expiresAt: new Date(stored.expiresAt)
    }
  }
  const encode = (session: Pick<MemberSession, 'device' | 'ip' | 'createdAt' | 'lastUsedAt' | 'expiresAt'>): string =>
    JSON.stringify({
      device: session.device,
      ip: session.ip,
      createdAt: session.createdAt.getTime(),
      lastUsedAt: session.lastUsedAt.getTime(),
      expiresAt: session.expiresAt.getTime()
    } satisfies Stored)
  const all = async (userId: string) =>
    Object.entries(await redis.hgetall(key(userId))).map(([id, text]) => decode(userId, id, text))

  return {
    open: (session) => redisCall(async () => {
      await redis.eval(WRITE, 1, key(session.userId), session.id, encode(session), lifeMs(session.expiresAt), '0')
    }),

    touch: (userId, id, use) => redisCall(async () => {
      await redis.touchSession(
        key(userId),
        id,
        String(use.at.getTime()),
        use.ip ?? '',
        use.expiresAt === undefined ? '' : String(use.expiresAt.getTime()),
        String(clock.now().getTime())
      )
    }),

    list: (userId, now) => redisCall(async () => {
      const sessions = await all(userId)
      const expired = sessions.filter((session) => session.expiresAt <= now).map((session) => session.id)
      if (expired.length > 0) await redis.hdel(key(userId), ...expired)
      return sessions.filter((session) => session.expiresAt > now)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    }),

    close: (userId, id, now) => redisCall(async () => {
      const [[, text], [, removed]] = (await redis.multi().hget(key(userId), id).hdel(key(userId), id).exec()) as [
        [null, string | null],
        [null, number]
      ]
      if (text === null || removed === 0) return null
      const session = decode(userId, id, text)
      return session.expiresAt > now ? session : null
    }),

    closeAll: (userId) => redisCall(async () => { await redis.del(key(userId)) })
  }
}
