import { setTimeout as sleep } from 'node:timers/promises'
import type { Cluster } from 'ioredis'
import t, { type Test } from 'tap'
import { connectRedis, observeRedis } from '../../src/adapters/redis/redis-client.js'
import { createRedisCeremonyChallenges } from '../../src/adapters/redis/redis-ceremony-challenges.js'
import { createRedisHitCounter } from '../../src/adapters/redis/redis-hit-counter.js'
import { createRedisKnownClients } from '../../src/adapters/redis/redis-known-clients.js'
import { createRedisMemberPresence } from '../../src/adapters/redis/redis-member-presence.js'
import { createRedisOtpStore } from '../../src/adapters/redis/redis-otp-store.js'
import { createRedisRevocationStore } from '../../src/adapters/redis/redis-revocation-store.js'
import { createRedisSessionRegistry } from '../../src/adapters/redis/redis-session-registry.js'
import { createRedisStaffSessionStore } from '../../src/adapters/redis/redis-staff-session-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import type { StaffSessionSettings } from '../../src/application/ports/shared-state/staff-session-store.js'
import { SecurityStateLostError } from '../../src/domain/errors.js'
import { ceremonyChallengesContract } from '../contracts/ceremony-challenges.contract.js'
import { hitCounterContract } from '../contracts/hit-counter.contract.js'
import { knownClientsContract } from '../contracts/known-clients.contract.js'
import { memberPresenceContract } from '../contracts/member-presence.contract.js'
import { otpStoreContract } from '../contracts/otp-store.contract.js'
import { revocationStoreContract } from '../contracts/revocation-store.contract.js'
import { sessionRegistryContract } from '../contracts/session-registry.contract.js'
import { staffSessionStoreContract } from '../contracts/staff-session-store.contract.js'
import { noRedisCluster, startRedisCluster } from '../helpers/redis-cluster.js'
import { uniqueSuffix } from '../helpers/services.js'

// Every Redis adapter's contract, run against a Redis Cluster of three masters and three replicas:
// a script or MULTI whose keys sit in more than one slot fails here with CROSSSLOT, never on one
// server. One cluster for the file; each fixture has a client and a key prefix of its own.
const SHORT_SETTINGS: StaffSessionSettings = { idleSeconds: 1, absoluteSeconds: 2.2 }
const READABLE = { readableFromOutside: true }

t.test('redis cluster', { skip: noRedisCluster }, async (t) => {
  const cluster = await startRedisCluster(t)

  /** A cluster client as the service makes it, under a prefix of its own. */
  const client = (t: Test, prefix = `test:${uniqueSuffix()}:`): Cluster => {
    const redis = connectRedis({
      url: null,
      sentinels: null,
      cluster: { nodes: cluster.seeds },
      keyPrefix: prefix,
      commandTimeoutMs: 2000
    }) as Cluster
    t.teardown(() => redis.quit())
    return redis
  }
  /** Every key under the prefix, on every master: what the cluster holds of one fixture. */
  const keysOf = async (redis: Cluster, prefix: string) =>
    (await Promise.all(redis.nodes('master').map((node) => node.keys(`${prefix}*`)))).flat()

  // The contracts wait in real time (TTLs, idle timeouts) and never share a key: they run side by
  // side, so the file takes as long as its slowest suite, not their sum.
  t.test('the contracts', { jobs: 9 }, async (t) => {
    t.test('revocation store', async (t) => revocationStoreContract(t, { sharedAcrossInstances: true }, async (t) => {
      const prefix = `test:${uniqueSuffix()}:`
      const main = client(t, prefix)
      return {
        fresh: createRedisRevocationStore(main, systemClock),
        sibling: createRedisRevocationStore(client(t, prefix), systemClock),
        clock: systemClock,
        advance: (ms) => sleep(ms),
        // What masters restarting without persistence do: every key gone, the markers with them.
        lose: async () => {
          await Promise.all(main.nodes('master').map(async (node) => {
            const keys = await node.keys(`${prefix}*`)
            // One key a command: a cluster node refuses a DEL of keys in several slots.
            await Promise.all(keys.map((key) => node.del(key)))
          }))
        }
      }
    }))

    t.test('revocation store: one master that comes back empty is noticed, and a restore refills it', async (t) => {
      const prefix = `test:${uniqueSuffix()}:`
      const redis = client(t, prefix)
      const store = createRedisRevocationStore(redis, systemClock)
      await store.restore(async () => {})
      const until = new Date(Date.now() + 60_000)
      const ids = Array.from({ length: 30 }, (_, index) => `jti-${index}`)
      for (const id of ids) await store.revoke(id, until)
      const masters = redis.nodes('master')
      t.equal(masters.length, 3)
      t.ok((await Promise.all(masters.map((node) => node.keys(`${prefix}*`)))).every((keys) => keys.length > 0),
        'the keys are spread over every master')

      const [emptied] = masters
      await Promise.all((await emptied!.keys(`${prefix}*`)).map((key) => emptied!.del(key)))
      await t.rejects(store.isRevoked(), SecurityStateLostError, 'a start-up check sees the lost buckets')
      const lostIds: string[] = []
      for (const id of ids) {
        if (await store.isRevoked(id).then(() => false, () => true)) lostIds.push(id)
      }
      t.ok(lostIds.length > 0 && lostIds.length < ids.length, 'only the ids on the emptied master are in doubt')

      await store.restore(async (sink) => {
        await sink.revocations(ids.map((id) => ({ id, until })))
        await sink.families([])
      })
      for (const id of ids) t.equal(await store.isRevoked(id), true, `${id} revoked again after the restore`)
      t.equal(await store.isRevoked('never-revoked'), false)
    })

    t.test('otp store', async (t) => otpStoreContract(t, async (t) => ({
      store: createRedisOtpStore(client(t)),
      advance: (ms) => sleep(ms)
    })))

    t.test('hit counter', async (t) => hitCounterContract(t, async (t) => ({
      hits: createRedisHitCounter(client(t)),
      advance: (ms) => sleep(ms)
    })))

    t.test('session registry', async (t) => sessionRegistryContract(t, async (t) => ({
      registry: createRedisSessionRegistry(client(t), systemClock),
      clock: systemClock
    })))

    t.test('staff session store', async (t) => staffSessionStoreContract(t, READABLE, async (t) => {
      const prefix = `test:${uniqueSuffix()}:`
      const redis = client(t, prefix)
      return {
        store: createRedisStaffSessionStore(redis, { clock: systemClock, settings: SHORT_SETTINGS }),
        clock: systemClock,
        settings: SHORT_SETTINGS,
        advance: (ms) => sleep(ms),
        stored: async () => {
          const contents: string[] = []
          for (const node of redis.nodes('master')) {
            for (const key of await node.keys(`${prefix}*`)) {
              const type = await node.type(key)
              contents.push(key)
              if (type === 'hash') contents.push(...Object.entries(await node.hgetall(key)).flat())
              else if (type === 'set') contents.push(...await node.smembers(key))
              else contents.push(`${type}: ${String(await node.dump(key))}`)
            }
          }
          return contents
        }
      }
    }))

    t.test('known clients', async (t) => knownClientsContract(t, async (t) => ({
      known: createRedisKnownClients(client(t)),
      advance: (ms) => sleep(ms)
    })))

    t.test('ceremony challenges', async (t) => ceremonyChallengesContract(t, async (t) => ({
      challenges: createRedisCeremonyChallenges(client(t)),
      advance: (ms) => sleep(ms)
    })))

    t.test('member presence', async (t) => memberPresenceContract(t, async (t) => ({
      presence: createRedisMemberPresence(client(t)),
      now: () => new Date(),
      advance: (ms) => sleep(ms)
    })))
  })

  t.test('a failover: the killed master\'s keys served by its replica; one down, one up', async (t) => {
    const prefix = `test:${uniqueSuffix()}:`
    const redis = client(t, prefix)
    const events: string[] = []
    observeRedis(redis, { down: (cause) => events.push(`down ${cause.code}`), up: () => events.push('up') })
    const store = createRedisRevocationStore(redis, systemClock)
    await store.restore(async () => {})
    t.equal(await store.revoke('kept-through-failover', new Date(Date.now() + 60_000)), true)
    const { key, node } = await revokedKey(redis, prefix, 'kept-through-failover')
    // Replication is asynchronous: wait until the replica has the write before its master dies.
    t.equal(await node.call('wait', '1', '5000'), 1, 'the replica has the revocation')

    // Traffic on the dying master's slot throughout, as a service has: its failures are the outage.
    const answers = { revoked: 0, failed: 0, running: true }
    const traffic = (async () => {
      while (answers.running) {
        await store.isRevoked('kept-through-failover').then(
          (revoked) => { if (revoked) answers.revoked++ },
          () => { answers.failed++ }
        )
        await sleep(20)
      }
    })()
    await cluster.killMaster(key)
    const revokedBefore = answers.revoked
    // Until the client has the new slot map; bounded by the test's timeout, never timed.
    while (!events.includes('up') || answers.revoked === revokedBefore) await sleep(20)
    answers.running = false
    await traffic

    t.equal(await store.isRevoked('kept-through-failover'), true, 'still revoked, the store still whole')
    t.ok((await keysOf(redis, prefix)).length > 0)
    // The connection resets (the process died) or is refused (reconnecting to it), by timing.
    t.equal(events.length, 2, 'one outage reported, and its end')
    t.match(events[0], /^down (ECONNREFUSED|ECONNRESET)$/)
    t.equal(events[1], 'up')
    t.comment(`during the failover: ${answers.failed} commands failed, ${answers.revoked} answered`)
  })
})

/** The full name (prefix included) of an id's revocation key, and the master that holds it. */
async function revokedKey (redis: Cluster, prefix: string, id: string) {
  for (const node of redis.nodes('master')) {
    const [key] = await node.keys(`${prefix}revoked:*:${id}`)
    if (key !== undefined) return { key, node }
  }
  throw new Error(`no key for ${id}`)
}
