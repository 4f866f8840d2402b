import type { Redis, Result } from 'ioredis'
import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { redisCall } from './redis-client.js'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    claimRotation (familyKey: string, rotatedKey: string, jti: string, rotation: string, successor: string, keepMs: string, lifeMs: string): Result<[string, string?], Context>
  }
}

/**
 * Registered with defineCommand: sent as EVALSHA, not as its text with every refresh.
 * KEYS: the family's current refresh token (`rotation:<family>`), the presented token's rotation
 * (`rotated:<jti>`, kept keepMs). ARGV: the presented jti, the rotation's JSON, the successor
 * refresh token's jti, keepMs, the family record's life (ms). Plain strings, no JSON in Lua: a
 * refresh's script costs Redis what a SET NX did.
 */
const CLAIM = `
local kept = redis.call('GET', KEYS[2])
if kept then return { 'earlier', kept } end
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return { 'superseded' } end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[5])
return { 'rotated' }`

/**
 * Revoked ids as keys that expire with their tokens, each family's current refresh token, and
 * rotations for the grace window only, shared by every instance.
 */
export function createRedisRevocationStore (redis: Redis, clock: Clock): RevocationStore {
  const revokedKey = (id: string) => `revoked:${id}`
  const familyKey = (family: string) => `rotation:${family}`
  const rotatedKey = (jti: string) => `rotated:${jti}`
  const ttlMsUntil = (until: Date) => until.getTime() - clock.now().getTime()
  redis.defineCommand('claimRotation', { numberOfKeys: 2, lua: CLAIM })
  return {
    revoke: (id, until) => redisCall(async () => {
      const ttlMs = ttlMsUntil(until)
      if (ttlMs <= 0) return !(await redis.exists(revokedKey(id))) // already expired: nothing to keep
      return (await redis.set(revokedKey(id), '1', 'PX', ttlMs, 'NX')) === 'OK'
    }),
    isRevoked: (...ids) => redisCall(async () => ids.length > 0 && (await redis.exists(...ids.map(revokedKey))) > 0),
    claimRotation: (family, jti, rotation, { keepMs, until }) => redisCall(async () => {
      const ttlMs = String(Math.max(ttlMsUntil(until), 1))
      const [outcome, kept] = await redis.claimRotation(familyKey(family), rotatedKey(jti), jti, JSON.stringify(rotation), rotation.refresh.jti, String(Math.max(keepMs, 1)), ttlMs)
      if (outcome === 'earlier') return { outcome, rotation: JSON.parse(kept!) as Rotation }
      return { outcome: outcome === 'rotated' ? 'rotated' : 'superseded' }
    })
  }
}
