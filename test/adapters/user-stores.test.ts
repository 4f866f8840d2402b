import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleUserRepository } from '../../src/adapters/drizzle/drizzle-user-repository.js'
import { interests, professions } from '../../src/adapters/drizzle/schema.js'
import { createMemoryUserRepository } from '../fakes/memory-user-repository.js'
import type { UserRepository } from '../../src/application/ports/user-repository.js'
import { CARD_TTL_MS, withRedisAccountCache } from '../../src/adapters/redis/redis-account-cache.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { phoneUser, userRepositoryContract, type RepositoryFixture } from '../contracts/user-repository.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { createTestRedis, noPg, noPglite, noRedis, uniqueSuffix } from '../helpers/services.js'

/** Catalog rows the profile references (foreign keys hold in SQL). */
async function drizzleFixture (t: Test, handle: DatabaseHandle): Promise<RepositoryFixture> {
  t.teardown(() => handle.close())
  await handle.migrate()
  const interestIds = [randomUUID(), randomUUID()]
  const professionId = randomUUID()
  await handle.db
    .insert(interests)
    .values(interestIds.map((id, i) => ({ id, name: `관심사 ${i} ${uniqueSuffix()}`, emoji: '⛳' })))
  await handle.db.insert(professions).values({ id: professionId, name: `의사 ${uniqueSuffix()}`, emoji: '👨‍⚕️' })
  return { users: createDrizzleUserRepository(handle.db, randomIds), catalog: { interestIds, professionId } }
}

t.test('memory', async (t) => userRepositoryContract(t, async () => {
  // The memory clock ticks so "newest first" has an order to follow.
  const clock = new ManualClock()
  const users = createMemoryUserRepository({ now: () => { clock.advance(1); return clock.now() } })
  return { users, catalog: { interestIds: [randomUUID(), randomUUID()], professionId: randomUUID() } }
}))

// One database of each kind for the file, put back to its migrated state for each test.
const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t =>
  userRepositoryContract(t, async t => drizzleFixture(t, await pglite.fresh()))
)

t.test('postgresql', { skip: noPg }, async (t) => userRepositoryContract(t, async (t) => {
  return drizzleFixture(t, await postgresql.fresh())
}))

t.test('postgresql behind the Redis account cache', { skip: noPg || noRedis }, async t =>
  userRepositoryContract(t, async t => {
    const fixture = await drizzleFixture(t, await postgresql.fresh())
    return { ...fixture, users: withRedisAccountCache(fixture.users, createTestRedis(t)) }
  })
)

t.test(
  'the account cache: filled on a miss, overwritten by writers, lost without harm',
  { skip: noPg || noRedis },
  async t => {
    const fixture = await drizzleFixture(t, await postgresql.fresh())
    const redis = createTestRedis(t)
    // Two instances: each its own decorator over the same database and Redis.
    const [a, b] = [withRedisAccountCache(fixture.users, redis), withRedisAccountCache(fixture.users, redis)]
    const input = phoneUser(fixture.catalog)
    await a.create(input)
    t.same(await b.findCard(input.id), {
      status: 'pending',
      tokensValidAfter: null,
      email: null,
      mobile: input.mobile,
      createdAt: (await fixture.users.findCard(input.id))!.createdAt
    })
    t.equal(await redis.exists(`account:${input.id}`), 1, 'the miss filled the copy')

    const instant = new Date('2026-05-01T10:00:00.123Z')
    await a.setTokensValidAfter(input.id, instant)
    t.equal(
      (await b.findCard(input.id))?.tokensValidAfter?.toISOString(),
      instant.toISOString(),
      'a sign-out on one instance is seen on the other at once'
    )
    await b.setStatus(input.id, 'rejected', null)
    t.equal((await a.findCard(input.id))?.status, 'rejected')
    const mobile = phoneUser(fixture.catalog).mobile!
    await a.setMobile(input.id, mobile)
    t.equal((await b.findCard(input.id))?.mobile, mobile, 'a new number is seen on the other at once')
    const email = `cache-${input.id}@example.com`
    await a.stageEmail(input.id, email, null)
    await a.confirmEmail(input.id, new Date())
    t.equal((await b.findCard(input.id))?.email, email, 'and so is a confirmed address')

    // A write behind the cache's back (another tool, a restore) shows once the copy is gone.
    await fixture.users.setStatus(input.id, 'approved', null)
    await redis.del(`account:${input.id}`)
    t.equal((await a.findCard(input.id))?.status, 'approved', 'the database is the source of truth')
    t.ok(Number(await redis.pttl(`account:${input.id}`)) <= CARD_TTL_MS, 'copies expire')

    await b.delete(input.id)
    t.equal(await a.findCard(input.id), null, 'deletion is seen everywhere')
    t.equal(await fixture.users.findCard(input.id), null)
  }
)

t.test(
  'the account cache: copies arriving out of order never move the cutoff back or revive a deleted user',
  { skip: noPg || noRedis },
  async t => {
    const fixture = await drizzleFixture(t, await postgresql.fresh())
    const redis = createTestRedis(t)
    // Writer A reads the database back, then stalls until writer B has finished its whole change.
    let stall: Promise<void> | null = null
    const stalling: UserRepository = {
      ...fixture.users,
      findCard: async id => {
        const card = await fixture.users.findCard(id)
        if (stall !== null) await stall
        return card
      }
    }
    const [a, b] = [withRedisAccountCache(stalling, redis), withRedisAccountCache(fixture.users, redis)]
    const input = phoneUser(fixture.catalog, {})
    await b.create(input)

    let resume!: () => void
    stall = new Promise(resolve => {
      resume = resolve
    })
    const early = new Date('2026-05-01T10:00:00.000Z')
    const later = new Date('2026-05-01T10:00:05.000Z')
    const slow = a.setTokensValidAfter(input.id, early)
    await new Promise(resolve => setTimeout(resolve, 50)) // A has committed and read { pending, early }
    await b.setStatus(input.id, 'rejected', null, later)
    stall = null
    resume()
    await slow
    t.equal(
      (await b.findCard(input.id))?.tokensValidAfter?.toISOString(),
      later.toISOString(),
      'the later cutoff stands'
    )

    stall = new Promise(resolve => {
      resume = resolve
    })
    const slowAgain = a.setTokensValidAfter(input.id, later)
    await new Promise(resolve => setTimeout(resolve, 50))
    await b.delete(input.id)
    stall = null
    resume()
    await slowAgain
    t.equal(await b.findCard(input.id), null, 'deleted stays deleted')
  }
)
