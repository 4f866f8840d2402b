import { globSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '../..')
const QUICK_SUITES = 'test/{domain,application,adapters,http}/**/*.test.ts'

/**
 * The inner loop's files split into `count` parts of about equal size, each part run in one
 * process: a test file's own process costs two seconds of start-up (the loader, the service's
 * modules, the first compile of every route schema) that the quick loop would otherwise pay
 * sixty times. `npm test` still runs every file in a process of its own.
 */
export async function runPart (index: number, count: number): Promise<void> {
  const files = globSync(QUICK_SUITES, { cwd: ROOT })
    .map(file => ({ file, size: statSync(join(ROOT, file)).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file))
  const parts: Array<{ size: number, files: string[] }> = Array.from({ length: count }, () => ({ size: 0, files: [] }))
  for (const { file, size } of files) {
    const lightest = parts.reduce((best, part) => (part.size < best.size ? part : best))
    lightest.size += size
    lightest.files.push(file)
  }
  for (const file of (parts[index]?.files ?? []).sort()) await import(pathToFileURL(join(ROOT, file)).href)
}
