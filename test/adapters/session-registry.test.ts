import t from 'tap'
import { createMemorySessionRegistry } from '../../src/adapters/memory/memory-session-registry.js'
import { createRedisSessionRegistry } from '../../src/adapters/redis/redis-session-registry.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { sessionRegistryContract } from '../contracts/session-registry.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async t =>
  sessionRegistryContract(t, async () => ({ registry: createMemorySessionRegistry(), clock: new ManualClock() }))
)

t.test('redis', { skip: noRedis }, async t =>
  sessionRegistryContract(t, async t => ({
    registry: createRedisSessionRegistry(createTestRedis(t), systemClock),
    clock: systemClock
  }))
)
