import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openPglite, type PgliteHandle } from '../../src/adapters/drizzle/database.js'
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
 * and runs; written under a temporary name and renamed, so a reader never sees half a file). The
 * cache is a convenience: where it cannot be written, each file builds its own template.
 */
async function loadOrBuildTemplate (): Promise<Blob> {
  const file = join(CACHE_DIR, `${await templateKey()}.tar`)
  const cached = await readFile(file).catch(() => null)
  if (cached !== null) return new Blob([cached])
  const template = await buildTemplate()
  const partial = `${file}.${process.pid}-${uniqueSuffix()}`
  try {
    await mkdir(CACHE_DIR, { recursive: true })
    await writeFile(partial, new Uint8Array(await template.arrayBuffer()))
    await rename(partial, file)
  } catch {
    await rm(partial, { force: true }).catch(() => {})
  }
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
