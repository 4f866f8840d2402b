import type { Redis } from 'ioredis'
import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore } from '../../application/ports/revocation-store.js'
import { redisCall } from './redis-client.js'

/** Revoked token ids as keys that expire with the token, shared by every instance. */
export function createRedisRevocationStore (redis: Redis, clock: Clock): RevocationStore {
  const key = (jti: string) => `revoked:${jti}`
  return {
    revoke: (jti, until) => redisCall(async () => {
      const ttlMs = until.getTime() - clock.now().getTime()
      if (ttlMs <= 0) return !(await redis.exists(key(jti))) // already expired: nothing to keep
      return (await redis.set(key(jti), '1', 'PX', ttlMs, 'NX')) === 'OK'
    }),
    isRevoked: (jti) => redisCall(async () => (await redis.exists(key(jti))) === 1)
  }
}
