import postgres from 'postgres'
import t from 'tap'
import type { Test } from 'tap'
import { connectPostgres, type DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDatabasePorts } from '../../src/adapters/drizzle/database-ports.js'
import { fileDeletions } from '../../src/adapters/drizzle/schema.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { auditEntry, auditLogContract } from '../contracts/audit-log.contract.js'
import { catalogRepositoryContract } from '../contracts/catalog-repository.contract.js'
import { staffRepositoryContract } from '../contracts/staff-repository.contract.js'
import { memberStoreContracts, seedCatalog } from '../contracts/member-stores.js'
import { emailUser, type UserStoresFixture } from '../contracts/user-stores-fixture.js'
import { migratedDatabasePerFile } from '../helpers/database-per-file.js'
import { startPgbouncer, noPgbouncer, type Pgbouncer } from '../helpers/pgbouncer.js'
import { createTestDatabase, noPg, uniqueSuffix } from '../helpers/services.js'

// The repositories through PgBouncer 1.18 in transaction mode, which hands each transaction to
// whichever server connection is free: the service's DATABASE_PREPARED_STATEMENTS=false
// (postgres.js `prepare: false`). One PgBouncer and one database for the file; every port is
// built as the service builds it (createDatabasePorts), its slow reads on a second small pool.

const skip = noPg || noPgbouncer
const via = (bouncer: Pgbouncer, url: string, poolSize: number): DatabaseHandle =>
  connectPostgres({ url: bouncer.url(url), poolSize, connectTimeoutSeconds: 5, prepare: false })

let started: Promise<{ bouncer: Pgbouncer, url: string, slow: DatabaseHandle }> | undefined
const shared = async () => await (started ??= (async () => {
  const bouncer = await startPgbouncer(t)
  const url = await createTestDatabase(t)
  const slow = via(bouncer, url, 2)
  t.teardown(() => slow.close())
  return { bouncer, url, slow }
})())

// Migrated through PgBouncer too, as the service migrates at start (a transaction-scoped lock).
const database = migratedDatabasePerFile(t, async () => {
  const { bouncer, url } = await shared()
  return via(bouncer, url, 5)
})

async function ports (t: Test) {
  const handle = await database.fresh()
  t.teardown(() => handle.close())
  await handle.migrate()
  const slow = { db: (await shared()).slow.db, load: { inFlight: 0 } }
  return { handle, ports: createDatabasePorts(handle.db, randomIds, {}, { slow }) }
}

async function memberStores (t: Test): Promise<UserStoresFixture> {
  const { handle, ports: stored } = await ports(t)
  return { ...stored, catalog: await seedCatalog(handle.db), clock: systemClock }
}

t.test('the member stores', { skip }, async t => memberStoreContracts(t, memberStores))

t.test('the catalog, the staff and the audit trail', { skip }, async t => {
  t.test('CatalogRepository', async t => catalogRepositoryContract(t, async t => (await ports(t)).ports.catalog))
  t.test('StaffRepository', async t => staffRepositoryContract(t, async t => (await ports(t)).ports.staff))
  t.test('AuditLog', async t => auditLogContract(t, async t => (await ports(t)).ports.audit))
})

t.test('the slow reads go to the slow pool, everything else to the primary', { skip }, async t => {
  // A stand-in replica: a second migrated database that no write reaches, so a read that answers
  // its rows and not the primary's shows which pool it went to.
  const { bouncer } = await shared()
  const replica = via(bouncer, await createTestDatabase(t), 2)
  t.teardown(() => replica.close())
  await replica.migrate()
  const { handle } = await ports(t)
  const stored = createDatabasePorts(handle.db, randomIds, {}, { slow: { db: replica.db, load: { inFlight: 0 } } })
  const member = emailUser()
  await stored.accounts.create(member)
  await stored.audit.append(auditEntry({ memberId: member.id }))
  await replica.db.insert(fileDeletions).values({ key: `replica-only-${uniqueSuffix()}`, notBefore: new Date(0) })

  const everyone = { status: null, text: null, mobile: null, order: 'newest', offset: 0, limit: 10 } as const
  t.equal((await stored.review.search(everyone)).total, 0, 'the console search reads the slow pool')
  const counted = Object.values((await stored.review.countSearch(everyone)).statuses)
  t.same(counted, [0, 0, 0], 'and so do its counts')
  t.equal((await stored.review.listByStatus(null, 0, 10)).total, 1, 'the review list reads the primary')
  t.same(await stored.audit.list({ limit: 10 }), [], "the trail's pages and export read the slow pool")
  t.equal(
    (await stored.audit.list({ memberId: member.id, limit: 10 })).length, 1,
    "one member's entries (the undo check, the file views) read the primary"
  )
  t.equal((await stored.fileDeletions.dueFileDeletions(new Date(), 10)).length, 1, "the sweeper's scan, the slow pool")
  t.same(await stored.fileDeletions.dueVerificationPurges(new Date(), 10), [], 'its other scan too')
})

const PREPARED_ON = 'prepared statements through transaction-mode PgBouncer 1.18: refused, retried, or silently lost'
t.test(PREPARED_ON, { skip }, async t => {
  // PgBouncer reuses the most recently freed server connection (LIFO), so a second client holding
  // a transaction open holds the server where A prepared its statements, and A's next transaction
  // or query goes to another server, where they are missing (SQLSTATE 26000). postgres.js then
  // prepares the statement again and retries once. Named with the client's default `prepare: true`:
  // the queries run with `{ prepare: true }` (as drizzle runs its `.prepare(name)` lookups: the card,
  // the profile, the audit append) and postgres.js's own COMMIT; BEGIN goes unnamed.
  await ports(t) // the file's database, migrated
  const { bouncer, url } = await shared()
  const attempts: string[] = []
  const a = postgres(bouncer.url(url), {
    max: 1, prepare: true, onnotice: () => {}, debug: (_connection, query) => { attempts.push(query) }
  })
  const b = postgres(bouncer.url(url), { max: 1, onnotice: () => {} })
  const direct = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(async () => {
    await Promise.all([a.end({ timeout: 1 }), b.end({ timeout: 1 }), direct.end({ timeout: 1 })])
  })
  const read = async (sql: Pick<postgres.Sql, 'unsafe'>, n: number) =>
    (await sql.unsafe('select $1::int as n', [n], { prepare: true }))[0]?.n as number
  const tries = async (work: () => Promise<unknown>): Promise<number> => {
    const before = attempts.length
    await work()
    return attempts.length - before
  }

  t.equal(await read(a, 1), 1)
  await a.begin(async tx => await tx`select 1`)
  const holder = await b.reserve()
  t.teardown(() => { holder.release() })
  await holder`begin`
  await holder`select 1`

  const inTransaction = await a.begin(async tx => await read(tx, 2)).catch((error: unknown) => error)
  t.match(
    inTransaction,
    { code: '26000', message: /prepared statement ".+" does not exist/ },
    'a named statement inside a transaction on another server: refused, the transaction aborted, the retry too'
  )

  const key = `lost-${uniqueSuffix()}`
  await a.begin(async tx => await tx.unsafe('insert into file_deletions (key) values ($1)', [key]))
  t.same(
    await direct`select key from file_deletions where key = ${key}`, [],
    'a transaction reported committed wrote nothing: its COMMIT, refused on the new server, was retried inside ' +
      'the aborted transaction, where PostgreSQL ends it as a ROLLBACK, and postgres.js took that for success'
  )

  t.equal(await read(a, 3), 3, 'a query prepared anew on the server it was given')
  await holder`commit`
  let answer = 0
  t.equal(
    await tries(async () => { answer = await read(a, 4) }), 2,
    'outside a transaction, on another server again: refused, then postgres.js prepares it anew and retries'
  )
  t.equal(answer, 4, 'which answers right, by luck and at the cost of a round trip')
})
