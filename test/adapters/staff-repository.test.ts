import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { createMemoryStaffRepository } from '../fakes/memory-staff-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import type { StaffRepository } from '../../src/application/ports/records/staff-repository.js'
import { staffRepositoryContract } from '../contracts/staff-repository.contract.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { noPg, noPglite } from '../helpers/services.js'

async function migrated (t: Test, handle: DatabaseHandle): Promise<StaffRepository> {
  t.teardown(() => handle.close())
  await handle.migrate()
  return createDrizzleStaffRepository(handle.db, randomIds)
}

t.test('memory', async (t) => staffRepositoryContract(t, async () => createMemoryStaffRepository(randomIds)))

// One database of each kind for the file, put back to its migrated state for each test.
const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t =>
  staffRepositoryContract(t, async t => migrated(t, await pglite.fresh()))
)

t.test('postgresql', { skip: noPg }, async t =>
  staffRepositoryContract(t, async t => migrated(t, await postgresql.fresh()))
)
