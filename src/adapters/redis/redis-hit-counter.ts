import type { Redis, Result } from 'ioredis'
import type { HitCounter } from '../../application/ports/hit-counter.js'
import { redisCall } from './redis-client.js'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    hitCount (key: string, windowMs: number): Result<[number, number], Context>
    peekCount (key: string): Result<[number, number], Context>
  }
}

// One round trip, atomic: the first hit of a window starts its expiry.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`

const PEEK = `return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]) }`

/** Fixed-window counters shared by every instance. The scripts go as EVALSHA (defineCommand). */
export function createRedisHitCounter (redis: Redis): HitCounter {
  redis.defineCommand('hitCount', { numberOfKeys: 1, lua: HIT })
  redis.defineCommand('peekCount', { numberOfKeys: 1, lua: PEEK })
  const reading = ([count, ttl]: [number, number]) => ({ count, resetInMs: Math.max(ttl, 0) })
  return {
    hit: async (key, windowMs) => reading(await redisCall(() => redis.hitCount(`hits:${key}`, windowMs))),
    peek: async (key) => reading(await redisCall(() => redis.peekCount(`hits:${key}`)))
  }
}
