import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleAccountRepository } from '../../src/adapters/drizzle/drizzle-account-repository.js'
import { createDrizzleEmailChangeRepository } from '../../src/adapters/drizzle/drizzle-email-change-repository.js'
import { createDrizzleIdentityConfirmations } from '../../src/adapters/drizzle/drizzle-identity-confirmations.js'
import { createDrizzleLinkedIdentities } from '../../src/adapters/drizzle/drizzle-linked-identities.js'
import { createDrizzlePasskeys } from '../../src/adapters/drizzle/drizzle-passkeys.js'
import { createDrizzleProviderRevocations } from '../../src/adapters/drizzle/drizzle-provider-revocations.js'
import { createDrizzleFileDeletionQueue } from '../../src/adapters/drizzle/drizzle-file-deletion-queue.js'
import { createDrizzlePushTokenRepository } from '../../src/adapters/drizzle/drizzle-push-token-repository.js'
import { createDrizzleReviewRepository } from '../../src/adapters/drizzle/drizzle-review-repository.js'
import { CARD_TTL_MS, withRedisAccountCache } from '../../src/adapters/redis/redis-account-cache.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { createMemoryUserStores } from '../fakes/memory-user-stores.js'
import { memberStoreContracts, seedCatalog } from '../contracts/member-stores.js'
import { phoneUser, recordDecisionOn, type UserStoresFixture } from '../contracts/user-stores-fixture.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { createTestRedis, noPg, noPglite, noRedis } from '../helpers/services.js'

// The member stores are one store cut by capability: each contract suite runs on every
// adapter family, over one database of each kind for the whole file.

/** Catalog rows the profile references (foreign keys hold in SQL). */
async function drizzleFixture (t: Test, handle: DatabaseHandle): Promise<UserStoresFixture> {
  t.teardown(() => handle.close())
  await handle.migrate()
  const catalog = await seedCatalog(handle.db)
  const { db } = handle
  return {
    accounts: createDrizzleAccountRepository(db, randomIds),
    emailChanges: createDrizzleEmailChangeRepository(db),
    review: createDrizzleReviewRepository(db),
    fileDeletions: createDrizzleFileDeletionQueue(db),
    pushTokens: createDrizzlePushTokenRepository(db),
    identities: createDrizzleIdentityConfirmations(db),
    linkedIdentities: createDrizzleLinkedIdentities(db, randomIds),
    passkeys: createDrizzlePasskeys(db),
    providerRevocations: createDrizzleProviderRevocations(db),
    catalog,
    clock: systemClock
  }
}

/** The fixture with its card stores behind the Redis account cache. */
function cached (fixture: UserStoresFixture, redis: ReturnType<typeof createTestRedis>): UserStoresFixture {
  return { ...fixture, ...withRedisAccountCache(fixture, redis) }
}

t.test('memory', async (t) => memberStoreContracts(t, async () => {
  // The memory clock ticks so "newest first" has an order to follow.
  const manual = new ManualClock()
  const clock = { now: () => { manual.advance(1); return manual.now() } }
  return {
    ...createMemoryUserStores(clock),
    catalog: { interestIds: [randomUUID(), randomUUID()], professionId: randomUUID() },
    clock
  }
}))

// One database of each kind for the file, put back to its migrated state for each test.
const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t =>
  memberStoreContracts(t, async t => drizzleFixture(t, await pglite.fresh()))
)

t.test('postgresql', { skip: noPg }, async (t) => memberStoreContracts(t, async (t) => {
  return drizzleFixture(t, await postgresql.fresh())
}))

t.test('postgresql behind the Redis account cache', { skip: noPg || noRedis }, async t =>
  memberStoreContracts(t, async t => cached(await drizzleFixture(t, await postgresql.fresh()), createTestRedis(t)))
)

t.test(
  'the account cache: filled on a miss, overwritten by writers, lost without harm',
  { skip: noPg || noRedis },
  async t => {
    const fixture = await drizzleFixture(t, await postgresql.fresh())
    const redis = createTestRedis(t)
    // Two instances: each its own decorator over the same database and Redis.
    const [a, b] = [cached(fixture, redis), cached(fixture, redis)]
    const input = phoneUser(fixture.catalog)
    await a.accounts.create(input)
    t.same(await b.accounts.findCard(input.id), {
      status: 'pending',
      tokensValidAfter: null,
      email: null,
      mobile: input.mobile,
      createdAt: (await fixture.accounts.findCard(input.id))!.createdAt
    })
    t.equal(await redis.exists(`account:${input.id}`), 1, 'the miss filled the copy')

    const instant = new Date('2026-05-01T10:00:00.123Z')
    await a.accounts.setTokensValidAfter(input.id, instant)
    t.equal(
      (await b.accounts.findCard(input.id))?.tokensValidAfter?.toISOString(),
      instant.toISOString(),
      'a sign-out on one instance is seen on the other at once'
    )
    await recordDecisionOn(b)(input.id, 'rejected', null)
    t.equal((await a.accounts.findCard(input.id))?.status, 'rejected')
    const mobile = phoneUser(fixture.catalog).mobile!
    await a.accounts.setMobile(input.id, mobile)
    t.equal((await b.accounts.findCard(input.id))?.mobile, mobile, 'a new number is seen on the other at once')
    const email = `cache-${input.id}@example.com`
    await a.emailChanges.stageEmail(input.id, email, null)
    await a.emailChanges.confirmEmail(input.id, new Date())
    t.equal((await b.accounts.findCard(input.id))?.email, email, 'and so is a confirmed address')

    // A write behind the cache's back (another tool, a restore) shows once the copy is gone.
    await recordDecisionOn(fixture)(input.id, 'approved', null)
    await redis.del(`account:${input.id}`)
    t.equal((await a.accounts.findCard(input.id))?.status, 'approved', 'the database is the source of truth')
    t.ok(Number(await redis.pttl(`account:${input.id}`)) <= CARD_TTL_MS, 'copies expire')

    await b.accounts.delete(input.id)
    t.equal(await a.accounts.findCard(input.id), null, 'deletion is seen everywhere')
    t.equal(await fixture.accounts.findCard(input.id), null)
  }
)

t.test(
  'the account cache: copies arriving out of order never move the cutoff back or revive a deleted user',
  { skip: noPg || noRedis },
  async t => {
    const fixture = await drizzleFixture(t, await postgresql.fresh())
    const redis = createTestRedis(t)
    // Writer A reads the database back, then stalls until writer B has finished its whole change.
    // `stalled` settles when A holds its copy: B starts only then, however slow the machine.
    let stall: Promise<void> | null = null
    let stalled!: () => void
    const holding = () => new Promise<void>(resolve => { stalled = resolve })
    const stalling: UserStoresFixture = {
      ...fixture,
      accounts: {
        ...fixture.accounts,
        findCard: async id => {
          const card = await fixture.accounts.findCard(id)
          if (stall !== null) {
            stalled()
            await stall
          }
          return card
        }
      }
    }
    const [a, b] = [cached(stalling, redis), cached(fixture, redis)]
    const input = phoneUser(fixture.catalog, {})
    await b.accounts.create(input)

    let resume!: () => void
    stall = new Promise(resolve => {
      resume = resolve
    })
    const early = new Date('2026-05-01T10:00:00.000Z')
    const later = new Date('2026-05-01T10:00:05.000Z')
    let held = holding()
    const slow = a.accounts.setTokensValidAfter(input.id, early)
    await held // A has committed and read { pending, early }
    await recordDecisionOn(b)(input.id, 'rejected', null, later)
    stall = null
    resume()
    await slow
    t.equal(
      (await b.accounts.findCard(input.id))?.tokensValidAfter?.toISOString(),
      later.toISOString(),
      'the later cutoff stands'
    )

    stall = new Promise(resolve => {
      resume = resolve
    })
    held = holding()
    const slowAgain = a.accounts.setTokensValidAfter(input.id, later)
    await held
    await b.accounts.delete(input.id)
    stall = null
    resume()
    await slowAgain
    t.equal(await b.accounts.findCard(input.id), null, 'deleted stays deleted')
  }
)
