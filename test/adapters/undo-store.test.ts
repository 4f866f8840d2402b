import { randomInt, randomUUID } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleUndoStore } from '../../src/adapters/drizzle/drizzle-undo-store.js'
import { users } from '../../src/adapters/drizzle/schema.js'
import { createMemoryUndoStore } from '../fakes/memory-undo-store.js'
import { undoStoreContract, type UndoStoreFixture } from '../contracts/undo-store.contract.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { noPg, noPglite } from '../helpers/services.js'

/** The store on a migrated database; members are bare rows (the foreign key holds in SQL). */
async function drizzleFixture (t: Test, handle: DatabaseHandle): Promise<UndoStoreFixture> {
  t.teardown(() => handle.close())
  await handle.migrate()
  return {
    undos: createDrizzleUndoStore(handle.db),
    async member () {
      const id = randomUUID()
      await handle.db
        .insert(users)
        .values({ id, mobile: `+8210${String(randomInt(1e8)).padStart(8, '0')}`, status: 'approved' })
      return id
    }
  }
}

t.test('memory', async t =>
  undoStoreContract(t, async () => ({ undos: createMemoryUndoStore(), member: async () => randomUUID() }))
)

// One database of each kind for the file, put back to its migrated state for each test.
const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t =>
  undoStoreContract(t, async t => drizzleFixture(t, await pglite.fresh()))
)

t.test('postgresql', { skip: noPg }, async t =>
  undoStoreContract(t, async t => drizzleFixture(t, await postgresql.fresh()))
)
