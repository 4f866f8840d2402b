import type { Redis, Result } from 'ioredis'
import type { Clock } from '../../application/ports/clock.js'
import type { OtpCheck, OtpStore } from '../../application/ports/otp-store.js'
import type { PhoneNumber } from '../../domain/user.js'
import { redisCall } from './redis-client.js'

// The scripts registered below with defineCommand, typed the way ioredis documents.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    otpIssue (codeKey: string, cooldownKey: string, codeHash: string, ttlMs: number, cooldownMs: number): Result<number, Context>
    otpWithdraw (codeKey: string, cooldownKey: string, codeHash: string): Result<number, Context>
    otpCheck (codeKey: string, triesKey: string, codeHash: string, maxTries: number, tryWindowMs: number): Result<string, Context>
  }
}

// KEYS: code, cooldown. ARGV: code hash, ttl ms, cooldown ms. Answers 0 or the seconds to wait.
// The tries key is not touched: a new code must not reset the count of wrong tries.
const ISSUE = `
local waitMs = redis.call('PTTL', KEYS[2])
if waitMs > 0 then return math.ceil(waitMs / 1000) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
return 0
`

// KEYS: code, tries. ARGV: code hash, max tries, try window ms. One script, so two concurrent
// checks cannot both read the code before either deletes it, and no wrong try goes uncounted.
const CHECK = `
local max = tonumber(ARGV[2])
local tries = tonumber(redis.call('GET', KEYS[2]) or '0')
if tries >= max then return 'void' end
local code = redis.call('GET', KEYS[1])
if not code then return 'none' end
if code == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 'ok'
end
tries = redis.call('INCR', KEYS[2])
if tries == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
if tries < max then return 'wrong' end
redis.call('DEL', KEYS[1])
return 'void'
`

// KEYS: code, cooldown. ARGV: code hash. Only the code it issued: a newer one stays.
const WITHDRAW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
return 0
`

/**
 * Codes shared by every instance. TTLs are Redis's own (PX), so the clock is accepted only for a
 * signature like the other stores' and is not used. The phone is a hash tag (`{...}`), so one
 * number's keys sit in one cluster slot, as a multi-key script requires.
 */
export function createRedisOtpStore (redis: Redis, _clock?: Clock): OtpStore {
  redis.defineCommand('otpIssue', { numberOfKeys: 2, lua: ISSUE })
  redis.defineCommand('otpCheck', { numberOfKeys: 2, lua: CHECK })
  redis.defineCommand('otpWithdraw', { numberOfKeys: 2, lua: WITHDRAW })
  const key = (phone: PhoneNumber, part: 'code' | 'cooldown' | 'tries') => `otp:{${phone}}:${part}`
  const ms = (seconds: number) => Math.round(seconds * 1000)
  return {
    issue: (phone, codeHash, { ttlSeconds, cooldownSeconds }) => redisCall(() =>
      redis.otpIssue(key(phone, 'code'), key(phone, 'cooldown'), codeHash, ms(ttlSeconds), ms(cooldownSeconds))),
    check: (phone, codeHash, { maxTries, tryWindowSeconds }) => redisCall(async () =>
      await redis.otpCheck(key(phone, 'code'), key(phone, 'tries'), codeHash, maxTries, ms(tryWindowSeconds)) as OtpCheck),
    withdraw: (phone, codeHash) => redisCall(async () => {
      await redis.otpWithdraw(key(phone, 'code'), key(phone, 'cooldown'), codeHash)
    })
  }
}
