import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleCatalogRepository } from '../../src/adapters/drizzle/drizzle-catalog-repository.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { createMemoryCatalogRepository } from '../fakes/memory-catalog-repository.js'
import type { CatalogRepository } from '../../src/application/ports/records/catalog-repository.js'
import {
  CATALOG_CACHE_TIMES,
  localCatalogVersion,
  withCatalogCache,
  type CatalogVersion
} from '../../src/adapters/memory/cached-catalog-repository.js'
import { createRedisCatalogVersion } from '../../src/adapters/redis/redis-catalog-version.js'
import { catalogItem, catalogRepositoryContract } from '../contracts/catalog-repository.contract.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { openMigratedPglite } from '../helpers/pglite.js'
import { createTestRedis, noPg, noPglite, noRedis, uniqueSuffix } from '../helpers/services.js'

async function migrated (t: Test, handle: DatabaseHandle): Promise<CatalogRepository> {
  t.teardown(() => handle.close())
  await handle.migrate()
  return createDrizzleCatalogRepository(handle.db)
}

// Seeded like the app's memory adapters, so the contract meets a non-empty catalog here too.
t.test('memory', async (t) => catalogRepositoryContract(t, async () => createMemoryCatalogRepository(CATALOG_STARTER)))

// One database of each kind for the file, put back to its migrated state for each test.
const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t =>
  catalogRepositoryContract(t, async t => migrated(t, await pglite.fresh()))
)

t.test('postgresql', { skip: noPg }, async t =>
  catalogRepositoryContract(t, async t => migrated(t, await postgresql.fresh()))
)

// The in-process cache in front of each: the same contract, on a clock that moves only when told.
const cached = (catalog: CatalogRepository, version: CatalogVersion = localCatalogVersion()) =>
  withCatalogCache(catalog, { version, clock: new ManualClock(), ...CATALOG_CACHE_TIMES })
t.test('memory behind the in-process cache', async t =>
  catalogRepositoryContract(t, async () => cached(createMemoryCatalogRepository(CATALOG_STARTER)))
)
t.test('pglite behind the in-process cache', { skip: noPglite }, async t =>
  catalogRepositoryContract(t, async t => cached(await migrated(t, await pglite.fresh())))
)
t.test('postgresql behind the in-process cache, version in Redis', { skip: noPg || noRedis }, async t =>
  catalogRepositoryContract(t, async t =>
    cached(await migrated(t, await postgresql.fresh()), createRedisCatalogVersion(createTestRedis(t)))
  )
)

/** Two instances (each its own cache) over one database and one Redis, on one manual clock. */
async function twoInstances (t: Test) {
  const catalog = await migrated(t, await postgresql.fresh())
  const redis = createTestRedis(t)
  const clock = new ManualClock()
  const instance = () =>
    withCatalogCache(catalog, { version: createRedisCatalogVersion(redis), clock, ...CATALOG_CACHE_TIMES })
  return { catalog, clock, a: instance(), b: instance() }
}

t.test(
  'the catalog cache: a change shows at once where it was made, and on every instance within the check interval',
  { skip: noPg || noRedis },
  async t => {
    const { clock, a, b } = await twoInstances(t)
    const item = catalogItem('interest')
    await a.add('interest', item)
    t.same(await b.findByIds('interest', [item.id]), [item], 'an instance that held no copy reads the new item')
    const renamed = await a.update('interest', item.id, { name: `새 이름 ${uniqueSuffix()}` })
    t.same(await a.findByIds('interest', [item.id]), [renamed], 'the changing instance at once')
    clock.advance(CATALOG_CACHE_TIMES.checkEveryMs)
    t.same(await b.findByIds('interest', [item.id]), [renamed], 'the other one after the check interval')
    t.same(
      (await b.list('interest')).find(listed => listed.id === item.id),
      renamed
    )
  }
)

t.test(
  'the catalog cache: a change that bypassed it (a lost bump) shows within the longest age',
  { skip: noPg || noRedis },
  async t => {
    const { catalog, clock, b } = await twoInstances(t)
    const item = catalogItem('profession')
    await catalog.add('profession', item)
    t.same(await b.findByIds('profession', [item.id]), [item])
    const renamed = await catalog.update('profession', item.id, { emoji: '🧑‍🚀' })
    clock.advance(CATALOG_CACHE_TIMES.maxAgeMs)
    t.same(await b.findByIds('profession', [item.id]), [renamed])
  }
)

/** A version store whose every call can be made to fail, counting the reads. */
function flakyVersion () {
  const local = localCatalogVersion()
  const state = { failing: false, reads: 0 }
  const version: CatalogVersion = {
    read: async () => { state.reads++; if (state.failing) throw new Error('store away'); return local.read() },
    bump: async () => { if (state.failing) throw new Error('store away'); await local.bump() }
  }
  return { version, state }
}

t.test(
  'the catalog cache: no change is made while the version cannot be moved, and reads fall through to the repository',
  async t => {
    const catalog = createMemoryCatalogRepository(CATALOG_STARTER)
    const { version, state } = flakyVersion()
    const clock = new ManualClock()
    const cache = withCatalogCache(catalog, { version, clock, ...CATALOG_CACHE_TIMES })
    const item = catalogItem('interest')
    await cache.add('interest', item)
    state.failing = true
    await t.rejects(cache.update('interest', item.id, { name: 'never' }))
    t.same(await catalog.findByIds('interest', [item.id]), [item], 'the repository is unchanged')
    const behindItsBack = await catalog.update('interest', item.id, { emoji: '🛶' })
    clock.advance(CATALOG_CACHE_TIMES.checkEveryMs)
    t.same(
      await cache.findByIds('interest', [item.id]),
      [behindItsBack],
      'the repository answers while the version is unreadable'
    )
  }
)

t.test('the catalog cache: a reload that began before a change is not kept', async (t) => {
  const inner = createMemoryCatalogRepository(CATALOG_STARTER)
  let stall: Promise<void> | null = null
  const stalling: CatalogRepository = {
    ...inner,
    list: async kind => {
      const items = await inner.list(kind)
      if (stall !== null) await stall
      return items
    }
  }
  const cache = withCatalogCache(stalling, {
    version: localCatalogVersion(),
    clock: new ManualClock(),
    ...CATALOG_CACHE_TIMES
  })
  const item = catalogItem('interest')
  await inner.add('interest', item)
  let resume!: () => void
  stall = new Promise((resolve) => { resume = resolve })
  const early = cache.findByIds('interest', [item.id]) // reads the lists, then waits
  await new Promise((resolve) => setImmediate(resolve))
  const renamed = await cache.update('interest', item.id, { name: `경합 ${uniqueSuffix()}` })
  stall = null
  resume()
  t.same(await early, [item], 'the read that began first may answer what it read')
  t.same(await cache.findByIds('interest', [item.id]), [renamed], 'but its copy is not kept')
})

t.test('the catalog cache: concurrent reads share one version read', async (t) => {
  const { version, state } = flakyVersion()
  const clock = new ManualClock()
  const cache = withCatalogCache(createMemoryCatalogRepository(CATALOG_STARTER), {
    version,
    clock,
    ...CATALOG_CACHE_TIMES
  })
  await cache.list('interest')
  const before = state.reads
  await Promise.all(Array.from({ length: 20 }, () => cache.list('profession')))
  t.equal(state.reads, before, 'none inside the check interval')
  clock.advance(CATALOG_CACHE_TIMES.checkEveryMs)
  await Promise.all(Array.from({ length: 20 }, () => cache.list('profession')))
  t.equal(state.reads, before + 1, 'one for all after it')
})

// The starter migration and CATALOG_STARTER are two copies of one list; this keeps them equal.
t.test('a migrated database holds exactly the starter catalog of the memory adapter', { skip: noPglite }, async (t) => {
  // A database of its own, a copy of what initdb and the migrations left.
  const catalog = await migrated(t, await openMigratedPglite())
  const starter = createMemoryCatalogRepository(CATALOG_STARTER)
  t.same(await catalog.list('interest'), await starter.list('interest'))
  t.same(await catalog.list('profession'), await starter.list('profession'))
  t.equal(CATALOG_STARTER.interests.length, 12)
  t.equal(CATALOG_STARTER.professions.length, 10)
})
