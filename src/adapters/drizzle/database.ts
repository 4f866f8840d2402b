import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema.js'

/** One drizzle API over both drivers, so one repository serves PostgreSQL and PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export interface DatabaseHandle {
  db: Database
  /** Applies the pending migrations; answers the tags of those it applied (none: already current). */
  migrate (): Promise<string[]>
  close (): Promise<void>
}

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url))
// Any constant works; it only has to be the same in every instance of this service.
export const MIGRATION_LOCK_KEY = 7_204_513_391

export interface PostgresOptions {
  url: string
  poolSize: number
  connectTimeoutSeconds: number
  /**
   * False: no named statements at all, for PgBouncer before 1.21 in transaction mode. drizzle's
   * ad-hoc queries are unnamed anyway; this turns the lookups prepared once (`.prepare(name)`:
   * the card, the profile, the audit append) and postgres.js's own tagged queries, its COMMIT
   * among them, into unnamed ones too. Left on behind such a PgBouncer, a transaction given
   * another server than the one its connection's COMMIT was prepared on is rolled back and
   * reported committed (test/adapters/pgbouncer.test.ts). Default true.
   */
  prepare?: boolean
}

export function connectPostgres (
  { url, poolSize, connectTimeoutSeconds, prepare = true }: PostgresOptions
): DatabaseHandle {
  const client = postgres(url, {
    max: poolSize,
    connect_timeout: connectTimeoutSeconds,
    prepare,
    idle_timeout: 60,
    onnotice: () => {} // migrations' "already exists, skipping" notices are not worth a log line
  })
  const db = drizzlePostgres(client, { schema }) as unknown as Database
  return {
    db,
    async migrate () {
      // Many instances may start at once: an advisory lock on one reserved connection lets exactly
      // one apply migrations while the others wait, then find none to do. The same lock covers the
      // service's migrate-at-start and `migrate` run as a Job. Held by an open transaction, not by
      // the session: PgBouncer in transaction mode keeps one server connection for a transaction
      // only, so a session lock could be taken on one and its unlock sent to another, leaving it
      // held for the next instance to wait on forever.
      // Each statement unnamed (`unsafe`), whatever `prepare` says: this runs once per start, and a
      // named one cached from another server would abort the transaction behind PgBouncer.
      // The lock's connection is one of its own, not the pool's: with DATABASE_POOL_SIZE=1 the pool
      // would lend its only connection to the lock and wait for a second one forever.
      const locker = postgres(url, { max: 1, connect_timeout: connectTimeoutSeconds, prepare: false })
      const lock = await locker.reserve().catch(async (error: unknown) => {
        await locker.end({ timeout: 1 })
        throw error
      })
      try {
        await lock.unsafe('begin')
        // The lock's transaction idles while the pool migrates, and may wait for another instance's
        // migration first: a server's idle_in_transaction_session_timeout or statement_timeout must
        // not end it half-way (the migration would stand, and this start fail).
        await lock.unsafe('set local idle_in_transaction_session_timeout = 0')
        await lock.unsafe('set local statement_timeout = 0')
        await lock.unsafe('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
        // Read on the pool, each read a transaction of its own: inside the lock's transaction a
        // table another instance created meanwhile may still look absent (no relation is locked
        // there, so the catalog caches are not refreshed).
        const read = async (text: string) => await client.unsafe(text)
        const before = await lastApplied(read)
        await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder: MIGRATIONS })
        const applied = appliedSince(before, await lastApplied(read))
        await lock.unsafe('commit')
        return applied
      } catch (error) {
        await lock.unsafe('rollback').catch(() => {})
        throw error
      } finally {
        lock.release()
        await locker.end({ timeout: 5 })
      }
    },
    close: () => client.end({ timeout: 5 })
  }
}

export interface PgliteHandle extends DatabaseHandle {
  /** The whole data directory as an uncompressed tarball, for `openPglite(…, { from })`. */
  dump (): Promise<Blob>
}

/**
 * Embedded PostgreSQL: `dataDir` null keeps everything in memory (tests). One process only.
 * `from` starts a new database as a copy of a dump instead of running initdb (tests open a
 * migrated copy in a fraction of the time initdb and the migrations take).
 */
export async function openPglite (dataDir: string | null, { from }: { from?: Blob } = {}): Promise<PgliteHandle> {
  // Loaded only here: with DATABASE_URL an instance never holds PGlite's code (bench/README.md, memory).
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')
  ])
  if (dataDir !== null) await mkdir(dataDir, { recursive: true })
  const client = new PGlite({
    ...(dataDir === null ? {} : { dataDir }),
    ...(from === undefined ? {} : { loadDataDir: from })
  })
  await client.waitReady
  const db = drizzlePglite(client, { schema })
  return {
    db: db as unknown as Database,
    async migrate () {
      const query = async (text: string) => (await client.query<Record<string, unknown>>(text)).rows
      const before = await lastApplied(query)
      await migratePglite(db, { migrationsFolder: MIGRATIONS })
      return appliedSince(before, await lastApplied(query))
    },
    dump: async () => await client.dumpDataDir('none'),
    close: () => client.close()
  }
}

type Query = (text: string) => Promise<Array<Record<string, unknown>>>

/**
 * The `when` of the newest migration drizzle has recorded (0: none, or no table yet). drizzle
 * applies every migration of the journal newer than it, so the tags between two readings are the
 * ones a run applied.
 */
async function lastApplied (query: Query): Promise<number> {
  const [table] = await query("select to_regclass('drizzle.__drizzle_migrations') is not null as present")
  if (table?.present !== true) return 0
  const [row] = await query('select max(created_at) as last from drizzle.__drizzle_migrations')
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last)
}

interface JournalEntry { when: number, tag: string }

function appliedSince (before: number, after: number): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[]
  }
  return journal.entries.filter(entry => entry.when > before && entry.when <= after).map(entry => entry.tag)
}

export async function pingDatabase (db: Database): Promise<void> {
  await db.execute(sql`select 1`)
}
