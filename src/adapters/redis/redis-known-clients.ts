import type { Result } from 'ioredis'
import type { KnownClients } from '../../application/ports/shared-state/known-clients.js'
import { redisCall, type RedisClient } from './redis-client.js'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    knownRemember (key: string, client: string, forMs: number, keep: number): Result<number, Context>
    knownCheck (key: string, client: string, forMs: number): Result<number, Context>
  }
}

// A sorted set per target: client → ms of its last proof. Old proofs and all but the newest `keep`
// clients go on each write, so a target holds a bounded set whatever happens.
const REMEMBER = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[3]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`

const CHECK = `
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not seen then return 0 end
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if tonumber(seen) > now - tonumber(ARGV[2]) then return 1 end
return 0`

/** Known clients shared by every instance; Redis's clock for every instance. */
export function createRedisKnownClients (redis: RedisClient): KnownClients {
  redis.defineCommand('knownRemember', { numberOfKeys: 1, lua: REMEMBER })
  redis.defineCommand('knownCheck', { numberOfKeys: 1, lua: CHECK })
  return {
    remember: async (target, client, { forMs, keep }) => {
      await redisCall(() => redis.knownRemember(`known:{${target}}`, client, forMs, keep))
    },
    isKnown: async (target, client, { forMs }) =>
      await redisCall(() => redis.knownCheck(`known:{${target}}`, client, forMs)) === 1
  }
}
