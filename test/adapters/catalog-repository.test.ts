import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleCatalogRepository } from '../../src/adapters/drizzle/drizzle-catalog-repository.js'
import { CATALOG_STARTER } from '../../src/adapters/memory/catalog-starter.js'
import { createMemoryCatalogRepository } from '../../src/adapters/memory/memory-catalog-repository.js'
import type { CatalogRepository } from '../../src/application/ports/catalog-repository.js'
import { catalogRepositoryContract } from '../contracts/catalog-repository.contract.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { openMigratedPglite } from '../helpers/pglite.js'
import { noPg } from '../helpers/services.js'

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
t.test('pglite', async (t) => catalogRepositoryContract(t, async (t) => migrated(t, await pglite.fresh())))

t.test('postgresql', { skip: noPg }, async (t) => catalogRepositoryContract(t, async (t) => migrated(t, await postgresql.fresh())))

// The starter migration and CATALOG_STARTER are two copies of one list; this keeps them equal.
t.test('a migrated database holds exactly the starter catalog of the memory adapter', async (t) => {
  // A database of its own, a copy of what initdb and the migrations left.
  const catalog = await migrated(t, await openMigratedPglite())
  const starter = createMemoryCatalogRepository(CATALOG_STARTER)
  t.same(await catalog.list('interest'), await starter.list('interest'))
  t.same(await catalog.list('profession'), await starter.list('profession'))
  t.equal(CATALOG_STARTER.interests.length, 12)
  t.equal(CATALOG_STARTER.professions.length, 10)
})
