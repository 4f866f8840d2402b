import { createHmac, hkdfSync } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryOtpStore } from '../../src/adapters/memory/memory-otp-store.js'
import { createRedisOtpStore } from '../../src/adapters/redis/redis-otp-store.js'
import { createHmacCodeHasher } from '../../src/adapters/system/hmac-code-hasher.js'
import { passwordResetSubject, signInSubject } from '../../src/domain/code-subject.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { otpStoreContract } from '../contracts/otp-store.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => otpStoreContract(t, async () => {
  const clock = new ManualClock()
  return { store: createMemoryOtpStore(clock), advance: async (ms) => clock.advance(ms) }
}))

t.test('redis', { skip: noRedis }, async (t) => otpStoreContract(t, async (t) => ({
  store: createRedisOtpStore(createTestRedis(t)),
  advance: (ms) => sleep(ms)
})))

// Codes live across a deploy: a sign-in code issued by an earlier version sits at these keys, and
// the hash of its code is bound to the bare number. Both must stay what they were.
t.test('redis: a number\'s sign-in code keeps the key layout of earlier versions', { skip: noRedis }, async (t) => {
  const redis = createTestRedis(t)
  const store = createRedisOtpStore(redis)
  const phone = '+821055550123' as PhoneNumber
  const hash = createHmacCodeHasher('s'.repeat(40)).hash(signInSubject(phone), '123456')
  t.equal(
    hash,
    createHmac('sha256', Buffer.from(hkdfSync('sha256', 's'.repeat(40), 'otp-code-hasher', 'v1', 32)))
      .update(`${phone}:123456`)
      .digest('hex'),
    'the hash of number:code, as before'
  )
  t.equal(
    await store.issue(signInSubject(phone), hash, {
      ttlSeconds: 60,
      cooldownSeconds: 60,
      owner: '198.51.100.0/24',
      replaceOthers: false
    }),
    0
  )
  t.same(
    await redis.hgetall(`otp:{${phone}}:live`),
    { h: hash, t: '0', o: '0', n: '198.51.100.0/24' },
    "otp:{+8210…}:live, with the owner network and the others' tries beside"
  )
  t.equal(await redis.exists(`otp:{${phone}}:cooldown`), 1, 'otp:{+8210…}:cooldown')

  // A code an earlier version left in Redis verifies through this one.
  const earlier = '+821055550124' as PhoneNumber
  const earlierHash = createHmacCodeHasher('s'.repeat(40)).hash(earlier, '654321')
  await redis.hset(`otp:{${earlier}}:live`, { h: earlierHash, t: 0 })
  await redis.pexpire(`otp:{${earlier}}:live`, 60_000)
  t.equal(
    await store.check(signInSubject(earlier), earlierHash, { maxTries: 5, client: '203.0.113.0/24' }),
    'ok',
    'from any network: it has no owner'
  )

  const email = 'member@example.com'
  await store.issue(passwordResetSubject(email), hash, {
    ttlSeconds: 60,
    cooldownSeconds: 60,
    owner: '198.51.100.0/24',
    replaceOthers: false
  })
  t.equal(await redis.exists(`otp:{reset:${email}}:live`), 1, 'other purposes beside them, under their prefix')
})
