import t from 'tap'
import postgres from 'postgres'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { createTestDatabase, noPg } from '../helpers/services.js'

t.test('five instances migrating one empty database at once: each migration applies once', { skip: noPg }, async t => {
  const url = await createTestDatabase(t)
  const handles = Array.from({ length: 5 }, () => connectPostgres({ url, poolSize: 2, connectTimeoutSeconds: 5 }))
  t.teardown(() => Promise.all(handles.map(handle => handle.close())))
  const results = await Promise.allSettled(handles.map(handle => handle.migrate()))
  t.same(
    results.map(result => result.status),
    Array(5).fill('fulfilled')
  )

  const sql = postgres(url, { max: 1 })
  t.teardown(() => sql.end())
  const applied = await sql`select hash from drizzle.__drizzle_migrations`
  t.equal(new Set(applied.map(row => row.hash)).size, applied.length, 'no migration recorded twice')
  const [users] = await sql`select count(*)::int as n from information_schema.tables where table_name = 'users'`
  t.equal(users?.n, 1)
  // Running again is a no-op.
  await handles[0]!.migrate()
  t.equal((await sql`select count(*)::int as n from drizzle.__drizzle_migrations`)[0]?.n, applied.length)
})
