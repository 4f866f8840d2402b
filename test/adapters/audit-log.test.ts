import { sql } from 'drizzle-orm'
import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleAuditLog } from '../../src/adapters/drizzle/drizzle-audit-log.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import type { AuditLog } from '../../src/application/ports/records/audit-log.js'
import { auditEntry, auditLogContract } from '../contracts/audit-log.contract.js'
import { pglitePerFile, postgresPerFile, type DatabasePerFile } from '../helpers/database-per-file.js'
import { noPg, noPglite } from '../helpers/services.js'

async function migrated (t: Test, handle: DatabaseHandle): Promise<AuditLog> {
  t.teardown(() => handle.close())
  await handle.migrate()
  return createDrizzleAuditLog(handle.db, randomIds)
}

/** The messages of a rejection and its causes (drizzle wraps the driver's error), or '' if it resolved. */
async function refusal (promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return ''
  } catch (error) {
    const messages: string[] = []
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message)
    return messages.join(' / ')
  }
}

/** Past the port: whoever holds a connection still cannot edit the trail, and only DELETE removes. */
function databaseRefusesEdits (t: Test, databases: DatabasePerFile): void {
  t.test('the table itself refuses UPDATE and TRUNCATE; DELETE (the retention sweep) works', async (t) => {
    const handle = await databases.fresh()
    t.teardown(() => handle.close())
    const log = createDrizzleAuditLog(handle.db, randomIds)
    await log.append(auditEntry({ reason: 'original' }))
    await log.append(auditEntry({ reason: 'second' }))
    t.match(
      await refusal(handle.db.execute(sql`update audit_events set reason = 'rewritten'`)),
      /append-only: UPDATE refused/,
      'UPDATE refused by the trigger'
    )
    t.match(
      await refusal(handle.db.execute(sql`truncate audit_events`)),
      /append-only: TRUNCATE refused/,
      'TRUNCATE refused by the trigger'
    )
    t.same((await log.list({ limit: 10 })).map(entry => entry.reason).sort(), ['original', 'second'], 'nothing changed')
    await handle.db.execute(sql`delete from audit_events where reason = 'second'`)
    t.same((await log.list({ limit: 10 })).map((entry) => entry.reason), ['original'])
  })
}

t.test('memory', async (t) => auditLogContract(t, async () => createMemoryAuditLog(randomIds)))

// One database of each kind for the file, put back to its migrated state for each test.
const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async (t) => {
  auditLogContract(t, async (t) => migrated(t, await pglite.fresh()))
  databaseRefusesEdits(t, pglite)
})

t.test('postgresql', { skip: noPg }, async (t) => {
  auditLogContract(t, async (t) => migrated(t, await postgresql.fresh()))
  databaseRefusesEdits(t, postgresql)
})
