import type { Redis } from 'ioredis'
import type { HitCounter } from '../../application/ports/hit-counter.js'
import { redisCall } from './redis-client.js'

// One round trip, atomic: the first hit of a window starts its expiry.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`

/** Fixed-window counters shared by every instance. */
export function createRedisHitCounter (redis: Redis): HitCounter {
  return {
    async hit (key, windowMs) {
      const [count, ttl] = await redisCall(() => redis.eval(HIT, 1, `hits:${key}`, windowMs) as Promise<[number, number]>)
      return { count, resetInMs: Math.max(ttl, 0) }
    }
  }
}
