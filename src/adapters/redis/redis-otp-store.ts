import type { Result } from 'ioredis'
import type { OtpCheck, OtpStore } from '../../application/ports/shared-state/otp-store.js'
import type { CodeSubject } from '../../domain/code-subject.js'
import { redisCall, type RedisClient } from './redis-client.js'

// The scripts registered below with defineCommand, typed the way ioredis documents.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    otpIssue(
      codeKey: string,
      cooldownKey: string,
      asideKey: string,
      codeHash: string,
      ttlMs: number,
      cooldownMs: number,
      owner: string,
      replaceOthers: 0 | 1
    ): Result<number, Context>
    otpWithdraw(codeKey: string, cooldownKey: string, asideKey: string, codeHash: string): Result<number, Context>
    otpCheck(codeKey: string, codeHash: string, maxTries: number, client: string): Result<string, Context>
  }
}

// A code is a hash {h: code hash, n: the network that asked for it, t: its wrong tries, o: the
// wrong tries of every other network together}. A side whose tries reached the maximum is void
// for that side only. (A code of an earlier version has no n, and every try is its owner's; h = ''
// was its void mark.) RENAME keeps a key's TTL, so a code moved aside (and put
// back by withdraw) keeps its remaining life.

// KEYS: code, cooldown, aside. ARGV: code hash, ttl ms, cooldown ms, owner, may replace another
// network's code (1/0). Answers 0 or the seconds to wait.
const ISSUE = `
local waitMs = redis.call('PTTL', KEYS[2])
if waitMs > 0 then return math.ceil(waitMs / 1000) end
if ARGV[5] == '0' then
  local owner = redis.call('HGET', KEYS[1], 'n')
  if owner and owner ~= ARGV[4] then
    local liveMs = redis.call('PTTL', KEYS[1])
    if liveMs > 0 then return math.ceil(liveMs / 1000) end
  end
end
redis.call('DEL', KEYS[3])
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[3]) end
redis.call('HSET', KEYS[1], 'h', ARGV[1], 't', 0, 'o', 0, 'n', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
return 0
`

// KEYS: code. ARGV: code hash, max tries, client network. One script, so two concurrent checks
// cannot both read the code before either deletes it, and no wrong try goes uncounted.
const CHECK = `
local c = redis.call('HMGET', KEYS[1], 'h', 'n')
if not c[1] then return 'none' end
if c[1] == '' then return 'void' end
local side = 't'
if c[2] and c[2] ~= ARGV[3] then side = 'o' end
local max = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], side) or '0') >= max then return 'void' end
if c[1] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 'ok'
end
if redis.call('HINCRBY', KEYS[1], side, 1) < max then return 'wrong' end
return 'void'
`

// KEYS: code, cooldown, aside. ARGV: code hash. Only the code it issued: a newer one stays.
const WITHDRAW = `
if redis.call('HGET', KEYS[1], 'h') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RENAME', KEYS[3], KEYS[1]) end
return 1
`

/**
 * Codes shared by every instance. TTLs are Redis's own (PX). The subject is a hash tag (`{...}`), so
 * one subject's keys sit in one cluster slot, as a multi-key script requires. A sign-in subject is
 * the bare number, so its keys are `otp:{+8210…}:live` as in every earlier version; other purposes
 * sit beside them (`otp:{reset:<email>}:live`). An address may hold a `}`: Redis then hashes only
 * up to it, which only places the subject's three keys together in another slot, and the keys
 * stay distinct, since each ends in `}:` and one of three fixed parts.
 */
export function createRedisOtpStore (redis: RedisClient): OtpStore {
  redis.defineCommand('otpIssue', { numberOfKeys: 3, lua: ISSUE })
  redis.defineCommand('otpCheck', { numberOfKeys: 1, lua: CHECK })
  redis.defineCommand('otpWithdraw', { numberOfKeys: 3, lua: WITHDRAW })
  // `live`, not the `code` string key of earlier versions: during a rolling deploy an old
  // instance's code is simply not found (the member asks again) instead of a WRONGTYPE error.
  const key = (subject: CodeSubject, part: 'live' | 'cooldown' | 'aside') => `otp:{${subject}}:${part}`
  const ms = (seconds: number) => Math.round(seconds * 1000)
  return {
    issue: (subject, codeHash, { ttlSeconds, cooldownSeconds, owner, replaceOthers }) =>
      redisCall(() =>
        redis.otpIssue(
          key(subject, 'live'),
          key(subject, 'cooldown'),
          key(subject, 'aside'),
          codeHash,
          ms(ttlSeconds),
          ms(cooldownSeconds),
          owner,
          replaceOthers ? 1 : 0
        )
      ),
    check: (subject, codeHash, { maxTries, client }) =>
      redisCall(async () => (await redis.otpCheck(key(subject, 'live'), codeHash, maxTries, client)) as OtpCheck),
    withdraw: (subject, codeHash) =>
      redisCall(async () => {
        await redis.otpWithdraw(key(subject, 'live'), key(subject, 'cooldown'), key(subject, 'aside'), codeHash)
      })
  }
}
