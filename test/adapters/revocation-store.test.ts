import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryRevocationStore } from '../../src/adapters/memory/memory-revocation-store.js'
import { createRedisRevocationStore } from '../../src/adapters/redis/redis-revocation-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { revocationStoreContract } from '../contracts/revocation-store.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => revocationStoreContract(t, async () => {
  const clock = new ManualClock()
  return { store: createMemoryRevocationStore(clock), clock, advance: async (ms) => clock.advance(ms) }
}))

t.test('redis', { skip: noRedis }, async (t) => revocationStoreContract(t, async (t) => ({
  store: createRedisRevocationStore(createTestRedis(t), systemClock),
  clock: systemClock,
  advance: (ms) => sleep(ms)
})))
