import { randomInt, randomUUID } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleMemberNotes } from '../../src/adapters/drizzle/drizzle-member-notes.js'
import { createDrizzleRejectionReasons } from '../../src/adapters/drizzle/drizzle-rejection-reasons.js'
import { users } from '../../src/adapters/drizzle/schema.js'
import { memberNotesContract, type MemberNotesFixture } from '../contracts/member-notes.contract.js'
import { rejectionReasonsContract } from '../contracts/rejection-reasons.contract.js'
import { createMemoryMemberNotes } from '../fakes/memory-member-notes.js'
import { createMemoryRejectionReasons } from '../fakes/memory-rejection-reasons.js'
import { pglitePerFile, postgresPerFile } from '../helpers/database-per-file.js'
import { noPg, noPglite } from '../helpers/services.js'

// The deciding records (the rejection reasons' catalog, the members' notes): one contract each, on
// memory, PGlite and PostgreSQL.

async function migrated (t: Test, handle: DatabaseHandle): Promise<DatabaseHandle> {
  t.teardown(() => handle.close())
  await handle.migrate()
  return handle
}

/** Members are bare rows (the foreign key holds in SQL). */
const notesOn = (handle: DatabaseHandle): MemberNotesFixture => ({
  notes: createDrizzleMemberNotes(handle.db),
  async member () {
    const id = randomUUID()
    const mobile = `+8210${String(randomInt(1e8)).padStart(8, '0')}`
    await handle.db.insert(users).values({ id, mobile, status: 'pending' })
    return id
  }
})

t.test('memory', async t => {
  t.test('rejection reasons', async t => rejectionReasonsContract(t, async () => createMemoryRejectionReasons()))
  t.test('member notes', async t => memberNotesContract(t, async () => {
    const members = new Set<string>()
    return {
      notes: createMemoryMemberNotes(async id => members.has(id)),
      member: async () => { const id = randomUUID(); members.add(id); return id }
    }
  }))
})

const pglite = pglitePerFile(t)
const postgresql = postgresPerFile(t)
t.test('pglite', { skip: noPglite }, async t => {
  t.test('rejection reasons', async t =>
    rejectionReasonsContract(t, async t => createDrizzleRejectionReasons((await migrated(t, await pglite.fresh())).db)))
  t.test('member notes', async t => memberNotesContract(t, async t => notesOn(await migrated(t, await pglite.fresh()))))
})

t.test('postgresql', { skip: noPg }, async t => {
  t.test('rejection reasons', async t =>
    rejectionReasonsContract(t, async t =>
      createDrizzleRejectionReasons((await migrated(t, await postgresql.fresh())).db)))
  t.test('member notes', async t =>
    memberNotesContract(t, async t => notesOn(await migrated(t, await postgresql.fresh()))))
})
