import type { Redis } from 'ioredis'
import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { redisCall } from './redis-client.js'

/** Revoked ids and rotation records as keys that expire with their tokens, shared by every instance. */
export function createRedisRevocationStore (redis: Redis, clock: Clock): RevocationStore {
  const revokedKey = (id: string) => `revoked:${id}`
  const rotationKey = (jti: string) => `rotated:${jti}`
  const ttlMsUntil = (until: Date) => until.getTime() - clock.now().getTime()
  return {
    revoke: (id, until) => redisCall(async () => {
      const ttlMs = ttlMsUntil(until)
      if (ttlMs <= 0) return !(await redis.exists(revokedKey(id))) // already expired: nothing to keep
      return (await redis.set(revokedKey(id), '1', 'PX', ttlMs, 'NX')) === 'OK'
    }),
    isRevoked: (...ids) => redisCall(async () => ids.length > 0 && (await redis.exists(...ids.map(revokedKey))) > 0),
    claimRotation: (jti, rotation, until) => redisCall(async () => {
      // SET NX then GET: the record is never deleted before its expiry, so a refused SET finds it.
      const ttlMs = Math.max(ttlMsUntil(until), 1)
      if ((await redis.set(rotationKey(jti), JSON.stringify(rotation), 'PX', ttlMs, 'NX')) === 'OK') return null
      const kept = await redis.get(rotationKey(jti))
      // Gone between the two calls only if it expired, and then so did the token: treat as spent long ago.
      return kept === null ? { ...rotation, at: 0 } : JSON.parse(kept) as Rotation
    })
  }
}
