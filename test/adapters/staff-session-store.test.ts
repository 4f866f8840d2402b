import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { createMemoryStaffSessionStore } from '../../src/adapters/memory/memory-staff-session-store.js'
import { createRedisStaffSessionStore } from '../../src/adapters/redis/redis-staff-session-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import type { StaffSessionSettings } from '../../src/application/ports/shared-state/staff-session-store.js'
import { staffSessionStoreContract } from '../contracts/staff-session-store.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestRedisPrefix, noRedis, TEST_REDIS_URL } from '../helpers/services.js'

// The memory run uses the issue's timeouts on a manual clock; the Redis run waits in real time,
// so its timeouts are short (and the absolute one is no multiple of half the idle one, so that no
// visit in the contract falls on the very instant a session ends).
const ISSUE_SETTINGS: StaffSessionSettings = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 60 * 60 }
const SHORT_SETTINGS: StaffSessionSettings = { idleSeconds: 1, absoluteSeconds: 2.2 }

t.test('memory', async (t) => staffSessionStoreContract(t, { readableFromOutside: false }, async () => {
  const clock = new ManualClock()
  return {
    store: createMemoryStaffSessionStore({ clock, settings: ISSUE_SETTINGS }),
    clock,
    settings: ISSUE_SETTINGS,
    advance: async (ms) => clock.advance(ms)
  }
}))

/** A client under the test's own prefix, and one without it that reads every key under it. */
function redisPair (t: Test): { redis: Redis, dump: () => Promise<string[]> } {
  const prefix = createTestRedisPrefix(t)
  const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix })
  const raw = new Redis(TEST_REDIS_URL)
  t.teardown(async () => { await redis.quit(); await raw.quit() })
  const dump = async () => {
    const contents: string[] = []
    for (const key of await raw.keys(`${prefix}*`)) {
      const type = await raw.type(key)
      contents.push(key)
      if (type === 'hash') contents.push(...Object.entries(await raw.hgetall(key)).flat())
      else if (type === 'set') contents.push(...await raw.smembers(key))
      else contents.push(`${type}: ${String(await raw.dump(key))}`)
    }
    return contents
  }
  return { redis, dump }
}

t.test('redis', { skip: noRedis }, async (t) => {
  staffSessionStoreContract(t, { readableFromOutside: true }, async (t) => {
    const { redis, dump } = redisPair(t)
    return {
      store: createRedisStaffSessionStore(redis, { clock: systemClock, settings: SHORT_SETTINGS }),
      clock: systemClock,
      settings: SHORT_SETTINGS,
      advance: (ms) => sleep(ms),
      stored: dump
    }
  })

  t.test('keys expire by themselves, with nobody reading them', async (t) => {
    const { redis, dump } = redisPair(t)
    const store = createRedisStaffSessionStore(redis, { clock: systemClock, settings: SHORT_SETTINGS })
    const staffId = 'staff-expiring'
    await store.promote(await store.create({ staffId, stage: 'second_factor', address: null, userAgent: null }))
    await store.create({ staffId, stage: 'second_factor', address: null, userAgent: null })
    t.ok((await dump()).length > 0)
    t.ok(await redis.pttl(`staff-sessions:${staffId}`) > 0, 'the staff index has a TTL')
    await sleep(SHORT_SETTINGS.absoluteSeconds * 1000 + 200)
    t.same(await dump(), [], 'sessions and the staff index are gone')
  })
})
