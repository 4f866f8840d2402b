import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
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

/** How long a process waits for another one building the template before it builds its own. */
const BUILDER_PATIENCE_MS = 120_000
/** A build takes seconds; a claim this old belongs to a process that is gone. */
const STALE_CLAIM_MS = 60_000

/**
 * Another process building the template holds `<file>.building` (mkdir is atomic): wait for its
 * file rather than build a second one. In a fresh clone a dozen suites start at once without a
 * cache, and each building its own (initdb and every migration in WebAssembly) cost the run about
 * a minute of CPU. Answers the cached bytes, or null when this process should build (it then holds
 * the claim, released by `release`).
 */
interface Claim { cached: Uint8Array<ArrayBuffer> | null, release: () => Promise<void> }

async function claimOrWait (file: string): Promise<Claim> {
  const claim = `${file}.building`
  const release = async () => { await rm(claim, { recursive: true, force: true }).catch(() => {}) }
  await mkdir(CACHE_DIR, { recursive: true }).catch(() => {})
  for (const deadline = Date.now() + BUILDER_PATIENCE_MS; Date.now() < deadline;) {
    const cached = await readFile(file).then(bytes => new Uint8Array(bytes), () => null)
    if (cached !== null) return { cached, release: async () => {} }
    if (await mkdir(claim).then(() => true, () => false)) return { cached: null, release }
    // A claim older than a build ever takes was left by a process that died: take it over.
    const since = await stat(claim).then(info => Date.now() - info.mtimeMs, () => 0)
    if (since > STALE_CLAIM_MS) await release()
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  // The builder died or hangs: build our own and take the claim over.
  return { cached: null, release }
}

/**
 * The freshly migrated data directory, made once per migrations (cached on disk across test files
 * and runs; written under a temporary name and renamed, so a reader never sees half a file; one
 * process builds it while the others wait). The cache is a convenience: where it cannot be
 * written, each file builds its own template.
 */
async function loadOrBuildTemplate (): Promise<Blob> {
  const file = join(CACHE_DIR, `${await templateKey()}.tar`)
  const { cached, release } = await claimOrWait(file)
  if (cached !== null) return new Blob([cached])
  try {
    return await buildAndKeep(file)
  } finally {
    await release()
  }
}

async function buildAndKeep (file: string): Promise<Blob> {
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
