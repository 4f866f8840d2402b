import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryCeremonyChallenges } from '../../src/adapters/memory/memory-ceremony-challenges.js'
import { createRedisCeremonyChallenges } from '../../src/adapters/redis/redis-ceremony-challenges.js'
import { ceremonyChallengesContract } from '../contracts/ceremony-challenges.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => ceremonyChallengesContract(t, async () => {
  const clock = new ManualClock()
  return { challenges: createMemoryCeremonyChallenges(clock), advance: async (ms) => clock.advance(ms) }
}))

t.test('redis', { skip: noRedis }, async (t) => ceremonyChallengesContract(t, async (t) => ({
  challenges: createRedisCeremonyChallenges(createTestRedis(t)),
  advance: (ms) => sleep(ms)
})))

t.test('redis: a challenge is a key of its own under the prefix, with Redis\'s TTL', { skip: noRedis }, async (t) => {
  const redis = createTestRedis(t)
  const challenges = createRedisCeremonyChallenges(redis)
  const challenge = randomBytes(32).toString('base64url')
  await challenges.issue(challenge, { kind: 'sign_in' }, 300)
  const ttl = await redis.ttl(`webauthn:challenge:${challenge}`)
  t.ok(ttl > 290 && ttl <= 300, `expires by itself (${ttl} s left)`)
  await challenges.take(challenge)
  t.equal(await redis.exists(`webauthn:challenge:${challenge}`), 0, 'taken: gone')

  await redis.set(`webauthn:challenge:${challenge}`, '{"kind":"register"}', 'EX', 60)
  t.equal(await challenges.take(challenge), null, 'a value it cannot read is no ceremony')
})
