import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import type { Test } from 'tap'
import { openPglite, type DatabaseHandle, type PgliteHandle } from '../../src/adapters/drizzle/database.js'
import { uniqueSuffix } from './services.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'pglite-templates')

/** What a migrated data directory depends on: every migration file and the PGlite release. */
async function templateKey (): Promise<string> {
  const hash = createHash('sha256')
  hash.update(await readFile(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')))
  const folder = join(ROOT, 'drizzle')
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())
  for (const name of files.map((entry) => join(entry.parentPath, entry.name)).sort()) {
    hash.update(name.slice(folder.length)).update('\0').update(await readFile(name)).update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

/** initdb and every migration once, then the data directory as a tarball (40 MB, uncompressed). */
async function buildTemplate (): Promise<Blob> {
  const handle = await openPglite(null)
  try {
    await handle.migrate()
    return await handle.dump()
  } finally {
    await handle.close()
  }
}

/**
 * The freshly migrated data directory, made once per migrations (cached on disk across test files
 * and runs; written under a temporary name and renamed, so a reader never sees half a file).
 */
async function loadOrBuildTemplate (): Promise<Blob> {
  const file = join(CACHE_DIR, `${await templateKey()}.tar`)
  const cached = await readFile(file).catch(() => null)
  if (cached !== null) return new Blob([cached])
  const template = await buildTemplate()
  await mkdir(CACHE_DIR, { recursive: true })
  const partial = `${file}.${process.pid}-${uniqueSuffix()}`
  await writeFile(partial, new Uint8Array(await template.arrayBuffer()))
  await rename(partial, file)
  return template
}

let template: Promise<Blob> | undefined

/**
 * A new in-memory PGlite database, already migrated: a copy of the template, so each test gets a
 * database of its own without paying for initdb and the migrations again. The caller closes it.
 */
export async function openMigratedPglite (): Promise<PgliteHandle> {
  template ??= loadOrBuildTemplate()
  return await openPglite(null, { from: await template })
}

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`

/**
 * One migrated PGlite database for a whole test file, handed to one test at a time as if new:
 * `fresh()` puts every table back to what the migrations left (the starter catalog, nothing else)
 * in a few milliseconds, where a copy of the template costs about half a second. The handle it
 * answers does not close the database (the file's teardown does); `fresh()` while the previous
 * test still holds it fails, since two tests sharing the tables could see each other's rows.
 */
export function migratedPglitePerFile (file: Test): { fresh (): Promise<DatabaseHandle> } {
  let shared: Promise<{ handle: PgliteHandle, reset (): Promise<void> }> | undefined
  let held = false
  file.teardown(async () => { if (shared !== undefined) await (await shared).handle.close() })

  async function open () {
    const handle = await openMigratedPglite()
    const { db } = handle
    const rows = async (query: string): Promise<Array<Record<string, unknown>>> => (await db.execute(sql.raw(query)) as unknown as { rows: Array<Record<string, unknown>> }).rows
    const tables = (await rows('select tablename from pg_tables where schemaname = \'public\' order by tablename')).map((row) => quoted(String(row.tablename)))
    // What the migrations wrote, kept aside in a schema of the test's own.
    await db.execute(sql`create schema test_migrated`)
    for (const table of tables) await db.execute(sql.raw(`create table test_migrated.${table} as table public.${table}`))
    const seeded: string[] = []
    for (const table of tables) {
      if ((await rows(`select 1 from test_migrated.${table} limit 1`)).length > 0) seeded.push(table)
    }
    async function reset (): Promise<void> {
      await db.transaction(async (tx) => {
        // Foreign-key triggers off: every row goes, then rows that were consistent when copied come
        // back. DELETE, not TRUNCATE: on tables this small it is several times faster in PGlite.
        await tx.execute(sql`set local session_replication_role = replica`)
        for (const table of tables) await tx.execute(sql.raw(`delete from public.${table}`))
        for (const table of seeded) await tx.execute(sql.raw(`insert into public.${table} select * from test_migrated.${table}`))
      })
    }
    return { handle, reset }
  }

  return {
    async fresh () {
      if (held) throw new Error('the file\'s PGlite database is still held by another test')
      held = true
      try {
        shared ??= open()
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
