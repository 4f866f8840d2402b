import { readFileSync } from 'node:fs'
import t from 'tap'
import postgres from 'postgres'
import { MIGRATION_LOCK_KEY, connectPostgres, openPglite } from '../../src/adapters/drizzle/database.js'
import { createTestDatabase, noPg } from '../helpers/services.js'

/** Every migration's tag, in order, as the committed journal lists them. */
const ALL_TAGS = (JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: Array<{ tag: string }> })
  .entries.map(entry => entry.tag)

t.test('five instances migrating one empty database at once: each migration applies once', { skip: noPg }, async t => {
  const url = await createTestDatabase(t)
  const handles = Array.from({ length: 5 }, () => connectPostgres({ url, poolSize: 2, connectTimeoutSeconds: 5 }))
  t.teardown(() => Promise.all(handles.map(handle => handle.close())))
  const results = await Promise.allSettled(handles.map(handle => handle.migrate()))
  t.same(
    results.map(result => result.status),
    Array(5).fill('fulfilled')
  )
  const applied = results.map(result => (result.status === 'fulfilled' ? result.value : null))
  t.same(
    applied.filter(tags => tags !== null && tags.length > 0),
    [ALL_TAGS],
    'one instance applied every migration, in order; the others found none to do'
  )

  const sql = postgres(url, { max: 1 })
  t.teardown(() => sql.end())
  const recorded = await sql`select hash from drizzle.__drizzle_migrations`
  t.equal(new Set(recorded.map(row => row.hash)).size, recorded.length, 'no migration recorded twice')
  t.equal(recorded.length, ALL_TAGS.length)
  const [users] = await sql`select count(*)::int as n from information_schema.tables where table_name = 'users'`
  t.equal(users?.n, 1)
  // Running again is a no-op, and says so.
  t.same(await handles[0]!.migrate(), [])
  t.equal((await sql`select count(*)::int as n from drizzle.__drizzle_migrations`)[0]?.n, recorded.length)
})

t.test('a pool of one connection migrates (the lock holds a connection of its own)', { skip: noPg }, async t => {
  const url = await createTestDatabase(t)
  const handle = connectPostgres({ url, poolSize: 1, connectTimeoutSeconds: 5 })
  t.teardown(() => handle.close())
  // Before the fix this never settled: the lock took the only connection the reads waited for.
  const outcome = await Promise.race([
    handle.migrate().then(applied => applied.length),
    new Promise<string>(resolve => setTimeout(() => resolve('still waiting after 60 s'), 60_000).unref())
  ])
  t.ok(typeof outcome === 'number' && outcome > 0, `every migration applied (${outcome})`)
  t.same(await handle.migrate(), [], 'then none')
})

t.test("the server's statement_timeout does not end the wait for another migration", { skip: noPg }, async t => {
  const url = await createTestDatabase(t)
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => admin.end({ timeout: 1 }))
  await admin.unsafe(`alter database "${new URL(url).pathname.slice(1)}" set statement_timeout = '500ms'`)
  // Another instance migrating: it holds the lock for three times the server's statement timeout.
  const other = postgres(url, { max: 1 })
  t.teardown(() => other.end({ timeout: 1 }))
  const held = other.begin(async sql => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`
    await new Promise(resolve => setTimeout(resolve, 1500))
  })
  await new Promise(resolve => setTimeout(resolve, 100))
  const handle = connectPostgres({ url, poolSize: 2, connectTimeoutSeconds: 5 })
  t.teardown(() => handle.close())
  const applied = await handle.migrate()
  await held
  t.same(applied, ALL_TAGS, 'it waited for the lock, then applied every migration')
})

t.test('the embedded database answers the migrations it applied, then none', async t => {
  const handle = await openPglite(null)
  t.teardown(() => handle.close())
  t.same(await handle.migrate(), ALL_TAGS)
  t.same(await handle.migrate(), [])
})
