import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleRevocationLedger } from '../../src/adapters/drizzle/drizzle-revocation-ledger.js'
import { createMemoryRevocationLedger } from '../fakes/memory-revocation-ledger.js'
import { revocationLedgerContract } from '../contracts/revocation-ledger.contract.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { noPg, noPglite } from '../helpers/services.js'

async function migrated (t: Test, handle: DatabaseHandle) {
  t.teardown(() => handle.close())
  await handle.migrate()
  return createDrizzleRevocationLedger(handle.db)
}

t.test('memory', async (t) => revocationLedgerContract(t, async () => createMemoryRevocationLedger()))

const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t =>
  revocationLedgerContract(t, async t => migrated(t, await pglite.fresh()))
)
t.test('postgresql', { skip: noPg }, async t =>
  revocationLedgerContract(t, async t => migrated(t, await postgresql.fresh()))
)
