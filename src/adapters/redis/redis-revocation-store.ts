import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis, Result } from 'ioredis'
import type { Clock } from '../../application/ports/system/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/shared-state/revocation-store.js'
import { SecurityStateLostError } from '../../domain/errors.js'
import { redisCall } from './redis-client.js'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    claimRotation(
      familyKey: string,
      rotatedKey: string,
      wholeKey: string,
      jti: string,
      rotation: string,
      successor: string,
      keepMs: string,
      lifeMs: string
    ): Result<[string, string?], Context>
    releaseRestore(lockKey: string, owner: string): Result<number, Context>
  }
}

/**
 * Written once the store holds everything the durable copy holds; gone when Redis lost its data
 * (a restart without persistence, FLUSHALL, a failover to an empty replica). Never expires: with
 * `maxmemory-policy noeviction` (docs/operations.md) nothing but a loss removes it.
 */
const WHOLE = 'state:whole'
/** Held by the one instance that restores; the others wait for WHOLE. */
const RESTORING = 'state:restoring'
const RESTORE_LOCK_MS = 60_000
/** How long a caller waits for another instance's restore before answering 503 itself. */
const RESTORE_WAIT_MS = 30_000
const BATCH = 1000

/**
 * Registered with defineCommand: sent as EVALSHA, not as its text with every refresh.
 * KEYS: the family's current refresh token (`rotation:<family>`), the presented token's rotation
 * (`rotated:<jti>`, kept keepMs), the whole-store marker. ARGV: the presented jti, the rotation's
 * JSON, the successor refresh token's jti, keepMs, the family record's life (ms). Plain strings,
 * no JSON in Lua: a refresh's script costs Redis what a SET NX did. Without the marker the
 * family's record may be gone with the rest: 'lost', and nothing is written.
 */
const CLAIM = `
if redis.call('EXISTS', KEYS[3]) == 0 then return { 'lost' } end
local kept = redis.call('GET', KEYS[2])
if kept then return { 'earlier', kept } end
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return { 'superseded' } end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[5])
return { 'rotated' }`

const RELEASE = 'if redis.call(\'GET\', KEYS[1]) == ARGV[1] then return redis.call(\'DEL\', KEYS[1]) end return 0'

/**
 * Revoked ids as keys that expire with their tokens, each family's current refresh token, and
 * rotations for the grace window only, shared by every instance. Admission reads the whole-store
 * marker in the same round trip as the revocations (one MGET), so a loss costs no extra call.
 */
export function createRedisRevocationStore (redis: Redis, clock: Clock): RevocationStore {
  const revokedKey = (id: string) => `revoked:${id}`
  const familyKey = (family: string) => `rotation:${family}`
  const rotatedKey = (jti: string) => `rotated:${jti}`
  const ttlMsUntil = (until: Date) => until.getTime() - clock.now().getTime()
  redis.defineCommand('claimRotation', { numberOfKeys: 3, lua: CLAIM })
  redis.defineCommand('releaseRestore', { numberOfKeys: 1, lua: RELEASE })
  const whole = () => redisCall(async () => await redis.exists(WHOLE) === 1)
  return {
    revoke: (id, until) => redisCall(async () => {
      const ttlMs = ttlMsUntil(until)
      if (ttlMs <= 0) return !(await redis.exists(revokedKey(id))) // already expired: nothing to keep
      return (await redis.set(revokedKey(id), '1', 'PX', ttlMs, 'NX')) === 'OK'
    }),
    isRevoked: async (...ids) => {
      const [marker, ...found] = await redisCall(() => redis.mget(WHOLE, ...ids.map(revokedKey)))
      if (marker === null) throw new SecurityStateLostError()
      return found.some((value) => value !== null)
    },
    claimRotation: async (family, jti, rotation, { keepMs, until }) => {
      const ttlMs = String(Math.max(ttlMsUntil(until), 1))
      const [outcome, kept] = await redisCall(() =>
        redis.claimRotation(
          familyKey(family),
          rotatedKey(jti),
          WHOLE,
          jti,
          JSON.stringify(rotation),
          rotation.refresh.jti,
          String(Math.max(keepMs, 1)),
          ttlMs
        )
      )
      if (outcome === 'lost') throw new SecurityStateLostError()
      if (outcome === 'earlier') return { outcome, rotation: JSON.parse(kept!) as Rotation }
      return { outcome: outcome === 'rotated' ? 'rotated' : 'superseded' }
    },
    async restore (load) {
      const deadline = Date.now() + RESTORE_WAIT_MS
      const owner = randomUUID()
      while (!await whole()) {
        if (await redisCall(() => redis.set(RESTORING, owner, 'PX', RESTORE_LOCK_MS, 'NX')) !== 'OK') {
          if (Date.now() > deadline) throw new SecurityStateLostError()
          await sleep(100) // another instance restores: wait for its marker
          continue
        }
        try {
          await load({
            revocations: records => writeAll(records.map(({ id, until }) => [revokedKey(id), '1', ttlMsUntil(until)])),
            families: records =>
              writeAll(
                records.map(({ family, currentJti, until }) => [familyKey(family), currentJti, ttlMsUntil(until)])
              )
          })
          await redisCall(() => redis.set(WHOLE, new Date().toISOString()))
        } finally {
          await redisCall(() => redis.releaseRestore(RESTORING, owner)).catch(() => {})
        }
      }
    }
  }

  /** Keys with their lives, in pipelines of BATCH; those already expired are skipped. */
  async function writeAll (entries: Array<[string, string, number]>): Promise<void> {
    const live = entries.filter(([, , ttlMs]) => ttlMs > 0)
    for (let i = 0; i < live.length; i += BATCH) {
      const pipeline = redis.pipeline()
      for (const [key, value, ttlMs] of live.slice(i, i + BATCH)) pipeline.set(key, value, 'PX', ttlMs)
      await redisCall(() => pipeline.exec())
    }
  }
}
