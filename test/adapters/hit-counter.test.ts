import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryHitCounter } from '../../src/adapters/memory/memory-hit-counter.js'
import { createRedisHitCounter } from '../../src/adapters/redis/redis-hit-counter.js'
import { hitCounterContract } from '../contracts/hit-counter.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => hitCounterContract(t, async () => {
  const clock = new ManualClock()
  return { hits: createMemoryHitCounter(clock), advance: async (ms) => clock.advance(ms) }
}))

t.test('redis', { skip: noRedis }, async (t) => hitCounterContract(t, async (t) => ({
  hits: createRedisHitCounter(createTestRedis(t)),
  advance: (ms) => sleep(ms)
})))
