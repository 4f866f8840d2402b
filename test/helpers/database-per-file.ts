import { sql } from 'drizzle-orm'
import type { Test } from 'tap'
import { connectPostgres, type Database, type DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { openMigratedPglite } from './pglite.js'
import { createTestDatabase } from './services.js'

type Row = Record<string, unknown>

/** Rows of a raw query on either driver (PGlite answers { rows }, postgres.js an array). */
async function rowsOf (db: Database, query: string): Promise<Row[]> {
  const result = await db.execute(sql.raw(query)) as unknown as Row[] | { rows: Row[] }
  return Array.isArray(result) ? [...result] : result.rows
}

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`

/**
 * The public tables in an order where each comes before the tables it references, so deleting in
 * this order and inserting in the reverse one never breaks a foreign key.
 */
async function referencingFirst (db: Database): Promise<string[]> {
  const tables = (
    await rowsOf(db, "select tablename from pg_tables where schemaname = 'public' order by tablename")
  ).map(row => String(row.tablename))
  const edges = (await rowsOf(db, `select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = 'public'::regnamespace and k.conrelid <> k.confrelid`))
    .map((row) => ({ child: String(row.child), parent: String(row.parent) }))
  const ordered: string[] = []
  while (ordered.length < tables.length) {
    // Next: a table no remaining table references.
    const next = tables.find(
      table => !ordered.includes(table) && !edges.some(edge => edge.parent === table && !ordered.includes(edge.child))
    )
    if (next === undefined) throw new Error('foreign keys in a cycle: no order to empty the tables in')
    ordered.push(next)
  }
  return ordered.map(quoted)
}

export interface DatabasePerFile {
  /** The file's database as the migrations left it, for one test; the test's close releases it. */
  fresh (): Promise<DatabaseHandle>
}

/**
 * One migrated database for a whole test file, handed to one test at a time as if new: before
 * each test every table goes back to what the migrations left (the starter catalog, nothing else),
 * in milliseconds where a new database and its migrations take from a quarter of a second
 * (PostgreSQL) to several seconds (PGlite initdb) on a busy machine. The handle `fresh()` answers
 * leaves the database open for the next test (the file's teardown closes it); `fresh()` while an
 * earlier test still holds it fails, since two tests on the same tables could see each other's rows.
 */
export function migratedDatabasePerFile (file: Test, open: () => Promise<DatabaseHandle>): DatabasePerFile {
  let shared: Promise<{ handle: DatabaseHandle, reset (): Promise<void> }> | undefined
  let held = false
  file.teardown(async () => { if (shared !== undefined) await (await shared).handle.close() })

  async function prepare () {
    const handle = await open()
    await handle.migrate()
    const { db } = handle
    const tables = await referencingFirst(db)
    // What the migrations wrote, kept aside in a schema of the tests' own.
    await db.execute(sql`create schema test_migrated`)
    const seeded: string[] = []
    for (const table of tables) {
      await db.execute(sql.raw(`create table test_migrated.${table} as table public.${table}`))
      if ((await rowsOf(db, `select 1 from test_migrated.${table} limit 1`)).length > 0) seeded.push(table)
    }
    async function reset (): Promise<void> {
      await db.transaction(async (tx) => {
        // DELETE, not TRUNCATE: on tables this small it is several times faster, in PGlite most.
        for (const table of tables) await tx.execute(sql.raw(`delete from public.${table}`))
        for (const table of [...seeded].reverse()) {
          await tx.execute(sql.raw(`insert into public.${table} select * from test_migrated.${table}`))
        }
      })
    }
    return { handle, reset }
  }

  return {
    async fresh () {
      if (held) throw new Error('the file\'s database is still held by another test')
      held = true
      try {
        shared ??= prepare()
        const { handle, reset } = await shared
        await reset()
        return { db: handle.db, migrate: handle.migrate, close: async () => { held = false } }
      } catch (error) {
        held = false
        throw error
      }
    }
  }
}

/** One in-memory PGlite database per file, opened from the migrated template. */
export const pglitePerFile = (file: Test): DatabasePerFile => migratedDatabasePerFile(file, openMigratedPglite)

/** One PostgreSQL database per file, created for it and dropped after it. */
export const postgresPerFile = (file: Test): DatabasePerFile => migratedDatabasePerFile(file, async () =>
  connectPostgres({ url: await createTestDatabase(file), poolSize: 5, connectTimeoutSeconds: 5 }))
