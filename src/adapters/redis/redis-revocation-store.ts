import type { Redis } from 'ioredis'
import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { redisCall } from './redis-client.js'

/**
 * A family's rotation record: { c: its current refresh token's jti, r: [{ s: a spent jti, a: when
 * (ms), p: what it was rotated into, as the caller's JSON }] }. KEYS[1] the record; ARGV: the
 * presented jti, the rotation's JSON, the successor refresh token's jti, now (ms), keepMs, the
 * record's life (ms), keepCount. Answers { 'rotated' }, { 'earlier', rotation } or { 'superseded' }.
 */
const CLAIM = `
local text = redis.call('GET', KEYS[1])
local record = text and cjson.decode(text)
if record then
  for _, kept in ipairs(record.r) do
    if kept.s == ARGV[1] then return { 'earlier', kept.p } end
  end
  if record.c ~= ARGV[1] then return { 'superseded' } end
end
local now = tonumber(ARGV[4])
local rotations = {}
if record then
  for _, kept in ipairs(record.r) do
    if now - kept.a <= tonumber(ARGV[5]) then rotations[#rotations + 1] = kept end
  end
end
rotations[#rotations + 1] = { s = ARGV[1], a = now, p = ARGV[2] }
while #rotations > tonumber(ARGV[7]) do table.remove(rotations, 1) end
redis.call('SET', KEYS[1], cjson.encode({ c = ARGV[3], r = rotations }), 'PX', ARGV[6])
return { 'rotated' }`

/**
 * Revoked ids as keys that expire with their tokens, and one rotation record per family (key
 * `rotation:`; each refresh rewrites it in one script), shared by every instance.
 */
export function createRedisRevocationStore (redis: Redis, clock: Clock): RevocationStore {
  const revokedKey = (id: string) => `revoked:${id}`
  const familyKey = (family: string) => `rotation:${family}`
  const ttlMsUntil = (until: Date) => until.getTime() - clock.now().getTime()
  return {
    revoke: (id, until) => redisCall(async () => {
      const ttlMs = ttlMsUntil(until)
      if (ttlMs <= 0) return !(await redis.exists(revokedKey(id))) // already expired: nothing to keep
      return (await redis.set(revokedKey(id), '1', 'PX', ttlMs, 'NX')) === 'OK'
    }),
    isRevoked: (...ids) => redisCall(async () => ids.length > 0 && (await redis.exists(...ids.map(revokedKey))) > 0),
    claimRotation: (family, jti, rotation, { keepMs, keepCount, until }) => redisCall(async () => {
      const ttlMs = String(Math.max(ttlMsUntil(until), 1))
      const [outcome, kept] = await redis.eval(CLAIM, 1, familyKey(family), jti, JSON.stringify(rotation), rotation.refresh.jti, String(clock.now().getTime()), String(keepMs), ttlMs, String(keepCount)) as [string, string | undefined]
      if (outcome === 'earlier') return { outcome, rotation: JSON.parse(kept!) as Rotation }
      return { outcome: outcome === 'rotated' ? 'rotated' : 'superseded' }
    })
  }
}
