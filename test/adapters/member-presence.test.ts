import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryMemberPresence } from '../../src/adapters/memory/memory-member-presence.js'
import { createRedisMemberPresence } from '../../src/adapters/redis/redis-member-presence.js'
import { memberPresenceContract } from '../contracts/member-presence.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedis, noRedis } from '../helpers/services.js'

t.test('memory', async (t) => memberPresenceContract(t, async () => {
  const clock = new ManualClock()
  return {
    presence: createMemoryMemberPresence(clock),
    now: () => clock.now(),
    advance: async (ms) => clock.advance(ms)
  }
}))

// Redis expires keys by its own clock: the marks are stamped with the wall clock, which it follows.
t.test('redis', { skip: noRedis }, async (t) => memberPresenceContract(t, async (t) => ({
  presence: createRedisMemberPresence(createTestRedis(t)),
  now: () => new Date(),
  advance: (ms) => sleep(ms)
})))
