import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Result } from 'ioredis'
import type { Clock } from '../../application/ports/system/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/shared-state/revocation-store.js'
import { SecurityStateLostError } from '../../domain/errors.js'
import { redisCall, type RedisClient } from './redis-client.js'

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
 * `maxmemory-policy noeviction` (docs/operations.md) nothing but a loss removes it. A cluster has
 * one per bucket (see clusterLayout), each in its bucket's slot: a shard that comes back empty
 * loses its buckets' markers with their keys.
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
 * (`rotated:<jti>`, kept keepMs), the whole-store marker: on a cluster, all three in the family's
 * bucket. ARGV: the presented jti, the rotation's
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

/** Where each key lives: the names of one server (or sentinels), or of a cluster. */
interface Layout {
  revoked (id: string): string
  family (family: string): string
  rotated (family: string, jti: string): string
  /** The marker that says whether the key of this id (or family) is whole. */
  markerOf (id: string): string
  markers: string[]
}

/** The names every earlier version used: nothing moves on an upgrade of a single-server deployment. */
const SINGLE: Layout = {
  revoked: id => `revoked:${id}`,
  family: family => `rotation:${family}`,
  rotated: (_family, jti) => `rotated:${jti}`,
  markerOf: () => WHOLE,
  markers: [WHOLE]
}

/**
 * Buckets of a cluster: enough to spread the keys over any number of masters, few enough that
 * every marker is read at start-up and written by a restore in one go.
 */
const BUCKETS = 64

/**
 * On a cluster every key carries its bucket as a hash tag (`revoked:{r17}:<jti>`), so a family's
 * rotation keys and its marker share a slot, as the claim script needs, and a revocation is read
 * with its bucket's marker in one MGET. A rotation goes in its family's bucket, not its token's.
 * The names differ from a single server's, which is safe: a deployment that moves to a cluster
 * finds none of these markers there (keys copied over from a single server keep their old names,
 * never read, and expire), so it rebuilds every revocation and family record from the durable
 * ledger (PostgreSQL, written before Redis: durable-revocations.ts) before it answers. Only the
 * rotations of the grace window (`rotated:`) are not rebuilt, as after any loss. A single server
 * keeps its names (SINGLE), so instances of two versions never read different keys there.
 */
function clusterLayout (): Layout {
  const tag = (id: string) => {
    // FNV-1a: cheap, and stable across versions and instances, which the names must be.
    let hash = 0x811c9dc5
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
    return `{r${(hash >>> 0) % BUCKETS}}`
  }
  return {
    revoked: id => `revoked:${tag(id)}:${id}`,
    family: family => `rotation:${tag(family)}:${family}`,
    rotated: (family, jti) => `rotated:${tag(family)}:${jti}`,
    markerOf: id => `${WHOLE}:${tag(id)}`,
    markers: Array.from({ length: BUCKETS }, (_, bucket) => `${WHOLE}:{r${bucket}}`)
  }
}

/**
 * Revoked ids as keys that expire with their tokens, each family's current refresh token, and
 * rotations for the grace window only, shared by every instance. Admission reads the whole-store
 * marker in the same round trip as the revocations (one MGET per bucket, one on a single server),
 * so a loss costs no extra call.
 */
export function createRedisRevocationStore (redis: RedisClient, clock: Clock): RevocationStore {
  const layout = redis.isCluster ? clusterLayout() : SINGLE
  const ttlMsUntil = (until: Date) => until.getTime() - clock.now().getTime()
  redis.defineCommand('claimRotation', { numberOfKeys: 3, lua: CLAIM })
  redis.defineCommand('releaseRestore', { numberOfKeys: 1, lua: RELEASE })
  /** Each marker with the revoked keys of its bucket; with no ids, every marker alone. */
  const byMarker = (ids: string[]): Map<string, string[]> => {
    const groups = new Map<string, string[]>(ids.length === 0 ? layout.markers.map(marker => [marker, []]) : [])
    for (const id of ids) {
      const marker = layout.markerOf(id)
      groups.set(marker, [...groups.get(marker) ?? [], layout.revoked(id)])
    }
    return groups
  }
  const whole = () => redisCall(async () => {
    const found = await Promise.all(layout.markers.map(marker => redis.exists(marker)))
    return found.every(count => count === 1)
  })
  return {
    revoke: (id, until) => redisCall(async () => {
      const ttlMs = ttlMsUntil(until)
      if (ttlMs <= 0) return !(await redis.exists(layout.revoked(id))) // already expired: nothing to keep
      return (await redis.set(layout.revoked(id), '1', 'PX', ttlMs, 'NX')) === 'OK'
    }),
    isRevoked: async (...ids) => {
      // Every request's admission runs this: one server keeps its one MGET, nothing grouped.
      const groups = layout === SINGLE ? [[WHOLE, ids.map(SINGLE.revoked)] as const] : byMarker(ids)
      // A cluster's MGETs, one per bucket, are sent in one tick, each to its node.
      const replies = await redisCall(() =>
        Promise.all([...groups].map(([marker, keys]) => redis.mget(marker, ...keys))))
      if (replies.some(([marker]) => marker === null)) throw new SecurityStateLostError()
      return replies.some(([, ...found]) => found.some((value) => value !== null))
    },
    claimRotation: async (family, jti, rotation, { keepMs, until }) => {
      const ttlMs = String(Math.max(ttlMsUntil(until), 1))
      const [outcome, kept] = await redisCall(() =>
        redis.claimRotation(
          layout.family(family),
          layout.rotated(family, jti),
          layout.markerOf(family),
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
            revocations: records =>
              writeAll(records.map(({ id, until }) => [layout.revoked(id), '1', ttlMsUntil(until)])),
            families: records =>
              writeAll(
                records.map(({ family, currentJti, until }) => [layout.family(family), currentJti, ttlMsUntil(until)])
              )
          })
          const at = new Date().toISOString()
          await redisCall(() => Promise.all(layout.markers.map(marker => redis.set(marker, at))))
        } finally {
          await redisCall(() => redis.releaseRestore(RESTORING, owner)).catch(() => {})
        }
      }
    }
  }

  /**
   * Keys with their lives, BATCH in flight at a time; those already expired are skipped. Plain
   * commands, not a pipeline: a cluster's pipeline must stay on one node, and these keys are on all.
   */
  async function writeAll (entries: Array<[string, string, number]>): Promise<void> {
    const live = entries.filter(([, , ttlMs]) => ttlMs > 0)
    for (let i = 0; i < live.length; i += BATCH) {
      await redisCall(() =>
        Promise.all(live.slice(i, i + BATCH).map(([key, value, ttlMs]) => redis.set(key, value, 'PX', ttlMs))))
    }
  }
}
