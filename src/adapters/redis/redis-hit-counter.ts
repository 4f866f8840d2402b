import type { Result } from 'ioredis'
import type { HitCounter, Pace } from '../../application/ports/shared-state/hit-counter.js'
import { redisCall, type RedisClient } from './redis-client.js'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    paceHit(
      key: string,
      mode: 'hit' | 'refund' | 'peek',
      free: number,
      firstGapMs: number,
      maxGapMs: number,
      drainMs: number
    ): Result<number, Context>
  }
}

// A bucket is a hash {l: level at a, a: ms, t: ms of the last hit let through}. The time is Redis's
// own, one clock for every instance. Answers the ms to wait (0: passed, or refunded, or would pass).
// The same rule as the memory twin's waitMs.
const PACE = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local free, first, maxGap, drain = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local b = redis.call('HMGET', KEYS[1], 'l', 'a', 't')
local level, last = 0, 0
if b[1] then
  level = math.max(0, tonumber(b[1]) - (now - tonumber(b[2])) / drain)
  last = tonumber(b[3])
end
local wait = 0
local excess = level - (free - 1)
if excess > 0 then
  local gap = math.min(first * 2 ^ math.min(math.ceil(excess) - 1, 40), maxGap)
  wait = math.max(0, math.ceil(gap - (now - last)))
end
if ARGV[1] == 'peek' then return wait end
if ARGV[1] == 'hit' then
  if wait > 0 then return wait end
  level = level + 1
  last = now
else
  level = math.max(0, level - 1)
end
if level <= 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'l', tostring(level), 'a', now, 't', last)
  redis.call('PEXPIRE', KEYS[1], math.ceil(level * drain))
end
return 0`

/** Leaky buckets shared by every instance, one script per call (EVALSHA through defineCommand). */
export function createRedisHitCounter (redis: RedisClient): HitCounter {
  redis.defineCommand('paceHit', { numberOfKeys: 1, lua: PACE })
  // `pace:`, not the `hits:` counters of earlier versions: an old instance's fixed-window string
  // under the same name would be a WRONGTYPE error during a rolling deploy.
  const call = (key: string, mode: 'hit' | 'refund' | 'peek', pace: Pace) =>
    redisCall(() => redis.paceHit(`pace:${key}`, mode, pace.free, pace.firstGapMs, pace.maxGapMs, pace.drainMs))
  return {
    hit: async (key, pace) => {
      const retryInMs = await call(key, 'hit', pace)
      return { passed: retryInMs === 0, retryInMs }
    },
    refund: async (key, pace) => { await call(key, 'refund', pace) },
    peek: async (key, pace) => {
      const retryInMs = await call(key, 'peek', pace)
      return { passed: retryInMs === 0, retryInMs }
    },
    clear: async (key) => { await redisCall(() => redis.del(`pace:${key}`)) }
  }
}
