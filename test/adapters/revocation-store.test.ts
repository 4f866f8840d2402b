import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryRevocationStore } from '../../src/adapters/memory/memory-revocation-store.js'
import { createRedisRevocationStore } from '../../src/adapters/redis/redis-revocation-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { revocationStoreContract } from '../contracts/revocation-store.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { Redis } from 'ioredis'
import { TEST_REDIS_URL, createTestRedisPrefix, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => revocationStoreContract(t, { sharedAcrossInstances: false }, async () => {
  const clock = new ManualClock()
  const fresh = createMemoryRevocationStore(clock)
  return { fresh, clock, advance: async (ms) => clock.advance(ms), lose: async () => fresh.forget(), sibling: null }
}))

const SHARED = { sharedAcrossInstances: true }
t.test('redis', { skip: noRedis }, async (t) => revocationStoreContract(t, SHARED, async (t) => {
  const prefix = createTestRedisPrefix(t)
  const client = (): Redis => {
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix })
    t.teardown(() => redis.quit())
    return redis
  }
  const main = client()
  return {
    fresh: createRedisRevocationStore(main, systemClock),
    sibling: createRedisRevocationStore(client(), systemClock),
    clock: systemClock,
    advance: (ms) => sleep(ms),
    // What a restart without persistence does to this service's keys (the rest of the server is other tests').
    lose: async () => {
      const raw = new Redis(TEST_REDIS_URL)
      const keys = await raw.keys(`${prefix}*`)
      if (keys.length > 0) await raw.del(...keys)
      await raw.quit()
    }
  }
}))
