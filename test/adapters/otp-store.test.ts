import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryOtpStore } from '../../src/adapters/memory/memory-otp-store.js'
import { createRedisOtpStore } from '../../src/adapters/redis/redis-otp-store.js'
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
