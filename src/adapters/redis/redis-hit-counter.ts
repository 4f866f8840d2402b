import type { Redis } from 'ioredis'
import type { HitCounter } from '../../application/ports/hit-counter.js'
import { redisCall } from './redis-client.js'

// One round trip, atomic: the first hit of a window starts its expiry.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`

const PEEK = `return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]) }`

/** Fixed-window counters shared by every instance. */
export function createRedisHitCounter (redis: Redis): HitCounter {
  const reading = ([count, ttl]: [number, number]) => ({ count, resetInMs: Math.max(ttl, 0) })
  return {
    hit: async (key, windowMs) => reading(await redisCall(() => redis.eval(HIT, 1, `hits:${key}`, windowMs) as Promise<[number, number]>)),
    peek: async (key) => reading(await redisCall(() => redis.eval(PEEK, 1, `hits:${key}`) as Promise<[number, number]>))
  }
}
