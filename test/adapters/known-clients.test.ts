import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryKnownClients } from '../../src/adapters/memory/memory-known-clients.js'
import { createRedisKnownClients } from '../../src/adapters/redis/redis-known-clients.js'
import { knownClientsContract } from '../contracts/known-clients.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => knownClientsContract(t, async () => {
  const clock = new ManualClock()
  return { known: createMemoryKnownClients(clock), advance: async (ms) => clock.advance(ms) }
}))

t.test('redis', { skip: noRedis }, async (t) => knownClientsContract(t, async (t) => ({
  known: createRedisKnownClients(createTestRedis(t)),
  advance: (ms) => sleep(ms)
})))
