import { globSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'

const ROOT = resolve(import.meta.dirname, '../..')

/** The files `npm test` runs in parts: none opens a database, a Redis or a process of its own. */
export const IN_PROCESS_SUITES = 'test/{domain,application,http}/**/*.test.ts'
/**
 * The adapters' suites, in parts of their own under `npm test`: each opens its databases, Redis
 * prefixes and PGlite instances inside its tests and closes them with the test, so they can share
 * a process. Apart from the suites above: much of their time is spent waiting (keys expiring, a
 * cluster forming), which a part of theirs does beside the CPU-bound in-process parts.
 */
export const ADAPTER_SUITES = 'test/adapters/**/*.test.ts'
/**
 * The end-to-end suites, in parts of their own under `npm test`: each test starts its service,
 * browser and stores and stops them when it ends, so files share a process as the adapters' do.
 */
export const E2E_SUITES = 'test/e2e/**/*.test.ts'
/** The inner loop (`npm run test:quick`): those, and the adapters' suites, on memory only. */
export const QUICK_SUITES = 'test/{domain,application,adapters,http}/**/*.test.ts'

/**
 * Test files split into `count` parts of about equal size, each part run in one process: a test
 * file's own process costs about two seconds before its first test (the TypeScript loader, the
 * service's modules, the first compile of every route schema, a cold JIT), which sixty files
 * would pay sixty times. The files share no state but the modules they import; each builds its
 * own app and stores. The end-to-end and operations files keep a process each under `npm test`:
 * they start services and children for the whole file. The folder's name sorts first, so tap
 * (which runs files in the order of their paths) starts the long parts before the short files.
 */
/** How long one part may run in all. */
export const PART_BUDGET_MS = 900_000

export async function runPart (suites: string, index: number, count: number): Promise<void> {
  const files = globSync(suites, { cwd: ROOT })
    .map(file => ({ file, size: statSync(join(ROOT, file)).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file))
  const parts: Array<{ size: number, files: string[] }> = Array.from({ length: count }, () => ({ size: 0, files: [] }))
  for (const { file, size } of files) {
    const lightest = parts.reduce((best, part) => (part.size < best.size ? part : best))
    lightest.size += size
    lightest.files.push(file)
  }
  const mine = (parts[index]?.files ?? []).sort()
  // Every file is loaded before the first test runs: loading one (its TypeScript compiled, its
  // modules evaluated, its top-level set-up) holds the event loop, and a test running beside it saw
  // its deadlines pass ("apple did not answer /auth/token within 1000 ms" from a local stand-in).
  // tap runs the root's tests one after another, so this one holds the files' tests back.
  let loaded = (): void => {}
  const loading = new Promise<void>(resolve => { loaded = resolve })
  t.test(`part ${index + 1} of ${count}: its files load`, async t => {
    await loading
    t.ok(mine.length > 0, `${mine.length} files`)
  })
  try {
    for (const file of mine) await import(pathToFileURL(join(ROOT, file)).href)
  } finally {
    // A file's own budget (t.setTimeout at its top) would otherwise bound the whole part.
    t.setTimeout(PART_BUDGET_MS)
    loaded()
  }
}
