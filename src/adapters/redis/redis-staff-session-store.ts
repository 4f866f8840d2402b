import { createHash, randomBytes } from 'node:crypto'
import type { Result } from 'ioredis'
import type { Clock } from '../../application/ports/system/clock.js'
import type {
  StaffSession,
  StaffSessionSettings,
  StaffSessionStage,
  StaffSessionStore
} from '../../application/ports/shared-state/staff-session-store.js'
import { redisCall, type RedisClient } from './redis-client.js'

// The scripts registered below with defineCommand, typed the way ioredis documents.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    staffSessionCreate(
      sessionKey: string,
      staffKey: string,
      lifeMs: number,
      absoluteMs: number,
      ...fields: string[]
    ): Result<number, Context>
    staffSessionGet(
      sessionKey: string,
      now: number,
      idleMs: number,
      absoluteMs: number,
      touchMs: number
    ): Result<Array<string | null> | null, Context>
    staffSessionUpdate(
      sessionKey: string,
      now: number,
      idleMs: number,
      absoluteMs: number,
      ...fields: string[]
    ): Result<number, Context>
    staffSessionPromote(
      oldKey: string,
      newKey: string,
      staffKey: string,
      now: number,
      idleMs: number,
      absoluteMs: number,
      staffId: string,
      csrfToken: string
    ): Result<number, Context>
    staffSessionEndAll(staffKey: string): Result<number, Context>
  }
}

// A session is a hash whose times are Unix milliseconds from the application's clock, which the
// scripts compare, so a session ends at the same instant as in the memory twin. The key also
// expires by itself (PEXPIRE of the life left), so nothing outlives its timeouts unread.
// A staff member's index is a set of full session key names, which the scripts use as they are:
// on a cluster every console key carries one hash tag (`staff-session:{staff}:<hash>`), so the
// scripts' keys, named or listed, are in one slot. Console sessions are few: one slot holds them.
const FIELDS = ['staffId', 'stage', 'csrfToken', 'createdAt', 'lastSeenAt', 'address', 'userAgent'] as const

// ARGV: now, idle ms, absolute ms. Answers the time left, or nothing (and drops the key) when over.
const LIFE_LEFT = `
local function lifeLeft (key)
  local t = redis.call('HMGET', key, 'createdAt', 'lastSeenAt')
  if not t[1] then return nil end
  local now = tonumber(ARGV[1])
  local left = math.min(tonumber(t[2]) + tonumber(ARGV[2]), tonumber(t[1]) + tonumber(ARGV[3])) - now
  if left <= 0 then
    redis.call('DEL', key)
    return nil
  end
  return left
end
`

// KEYS: session, staff index. ARGV: life ms, absolute ms, field/value pairs. The index outlives
// its newest session (nothing in it can live longer), and dead members go when a new one comes.
const CREATE = `
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', key) == 0 then redis.call('SREM', KEYS[2], key) end
end
redis.call('SADD', KEYS[2], KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`

// KEYS: session. ARGV: now, idle ms, absolute ms, touch ms. One script, so a visit cannot write
// lastSeenAt into a key that a concurrent promote or sign-out has just removed (HSET would
// recreate it as a fragment without a TTL).
const GET = LIFE_LEFT + `
if not lifeLeft(KEYS[1]) then return nil end
local s = redis.call('HMGET', KEYS[1], '${FIELDS.join("', '")}')
local now = tonumber(ARGV[1])
if now - tonumber(s[5]) >= tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), tonumber(s[4]) + tonumber(ARGV[3]) - now))
  s[5] = ARGV[1]
end
return s
`

// KEYS: session. ARGV: now, idle ms, absolute ms, field/value pairs (maybe none).
const UPDATE = LIFE_LEFT + `
if not lifeLeft(KEYS[1]) then return 0 end
if #ARGV > 3 then redis.call('HSET', KEYS[1], unpack(ARGV, 4)) end
return 1
`

// KEYS: old session, new session, staff index. ARGV: now, idle ms, absolute ms, staffId, new
// CSRF token. RENAME moves the session whole, so of concurrent promotes only the first finds it.
const PROMOTE = LIFE_LEFT + `
if redis.call('HGET', KEYS[1], 'staffId') ~= ARGV[4] or not lifeLeft(KEYS[1]) then return 0 end
local createdAt = tonumber(redis.call('HGET', KEYS[1], 'createdAt'))
local now = tonumber(ARGV[1])
local life = math.min(tonumber(ARGV[2]), createdAt + tonumber(ARGV[3]) - now)
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[2], 'stage', 'signed_in', 'csrfToken', ARGV[5], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[2], life)
redis.call('SREM', KEYS[3], KEYS[1])
redis.call('SADD', KEYS[3], KEYS[2])
if redis.call('PTTL', KEYS[3]) < life then redis.call('PEXPIRE', KEYS[3], life) end
return 1
`

// KEYS: staff index.
const END_ALL = `
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return 1
`

const newSecret = (): string => randomBytes(32).toString('base64url')

/**
 * Console sessions shared by every instance. Keys hold the SHA-256 of the session id, never the
 * id itself, so a dump or a replica holds no usable cookie value.
 */
export function createRedisStaffSessionStore (
  redis: RedisClient,
  { clock, settings }: { clock: Clock, settings: StaffSessionSettings }
): StaffSessionStore {
  redis.defineCommand('staffSessionCreate', { numberOfKeys: 2, lua: CREATE })
  redis.defineCommand('staffSessionGet', { numberOfKeys: 1, lua: GET })
  redis.defineCommand('staffSessionUpdate', { numberOfKeys: 1, lua: UPDATE })
  redis.defineCommand('staffSessionPromote', { numberOfKeys: 3, lua: PROMOTE })
  redis.defineCommand('staffSessionEndAll', { numberOfKeys: 1, lua: END_ALL })
  const idleMs = Math.ceil(settings.idleSeconds * 1000)
  const absoluteMs = Math.ceil(settings.absoluteSeconds * 1000)
  const touchMs = Math.ceil(Math.min(60_000, idleMs / 10))
  // One server keeps the names of earlier versions: an upgrade signs no one out.
  const tag = redis.isCluster ? '{staff}:' : ''
  const sessionKey = (id: string) => `staff-session:${tag}${createHash('sha256').update(id).digest('base64url')}`
  const staffKey = (staffId: string) => `staff-sessions:${tag}${staffId}`
  const now = () => clock.now().getTime()

  return {
    create: ({ staffId, stage, address, userAgent }) =>
      redisCall(async () => {
        const id = newSecret()
        const at = String(now())
        // A null address or user agent is an absent field, which HMGET reads back as null.
        const fields = ['staffId', staffId, 'stage', stage, 'csrfToken', newSecret(), 'createdAt', at, 'lastSeenAt', at]
        if (address !== null) fields.push('address', address)
        if (userAgent !== null) fields.push('userAgent', userAgent)
        await redis.staffSessionCreate(
          sessionKey(id),
          staffKey(staffId),
          Math.min(idleMs, absoluteMs),
          absoluteMs,
          ...fields
        )
        return id
      }),

    get: id =>
      redisCall(async () => {
        const s = await redis.staffSessionGet(sessionKey(id), now(), idleMs, absoluteMs, touchMs)
        if (s === null) return null
        const [staffId, stage, csrfToken, createdAt, lastSeenAt, address, userAgent] = s
        return {
          staffId: staffId!,
          stage: stage as StaffSessionStage,
          csrfToken: csrfToken!,
          createdAt: new Date(Number(createdAt)),
          lastSeenAt: new Date(Number(lastSeenAt)),
          address: address ?? null,
          userAgent: userAgent ?? null
        } satisfies StaffSession
      }),

    update: (id, patch) =>
      redisCall(async () => {
        const fields: string[] = []
        if (patch.stage !== undefined) fields.push('stage', patch.stage)
        if (patch.csrfToken !== undefined) fields.push('csrfToken', patch.csrfToken)
        return (await redis.staffSessionUpdate(sessionKey(id), now(), idleMs, absoluteMs, ...fields)) === 1
      }),

    promote: id =>
      redisCall(async () => {
        const oldKey = sessionKey(id)
        // Read first only to name the staff index; the script checks it again, atomically.
        const staffId = await redis.hget(oldKey, 'staffId')
        if (staffId === null) return null
        const newId = newSecret()
        const promoted = await redis.staffSessionPromote(
          oldKey,
          sessionKey(newId),
          staffKey(staffId),
          now(),
          idleMs,
          absoluteMs,
          staffId,
          newSecret()
        )
        return promoted === 1 ? newId : null
      }),

    // The index keeps the dead key's name until the next sign-in prunes it or the index expires.
    delete: id =>
      redisCall(async () => {
        await redis.del(sessionKey(id))
      }),

    deleteAllOf: staffId =>
      redisCall(async () => {
        await redis.staffSessionEndAll(staffKey(staffId))
      })
  }
}
