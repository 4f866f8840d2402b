import { globSync, readFileSync } from 'node:fs'
import { matchesGlob, resolve } from 'node:path'
import t from 'tap'
import { ADAPTER_SUITES, E2E_SUITES, IN_PROCESS_SUITES, QUICK_SUITES } from '../_parts/parts.js'

// npm test names folders, not files (tap's `include`, and the parts that run several files in one
// process): a test file in a folder nobody named would never run, and nothing would say so.
const ROOT = resolve(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  tap: { include: string[] }
  scripts: Record<string, string>
}
const files = globSync('test/**/*.test.ts', { cwd: ROOT })

t.test('npm test runs every test file exactly once: in a part or in a process of its own', async (t) => {
  t.ok(files.length > 80, `${files.length} test files found`)
  for (const file of files) {
    const alone = pkg.tap.include.filter(glob => !glob.startsWith('test/_parts/'))
    const runs = [IN_PROCESS_SUITES, ADAPTER_SUITES, E2E_SUITES, ...alone].filter(glob => matchesGlob(file, glob))
    t.equal(runs.length, 1, `${file}: ${runs.join(', ') || 'no run'}`)
  }
  t.ok(pkg.tap.include.includes('test/_parts/in-process-*.ts'), 'the in-process parts are included')
  t.ok(pkg.tap.include.includes('test/_parts/adapters-*.ts'), 'the adapters\' parts are included')
  t.ok(pkg.tap.include.includes('test/_parts/e2e-*.ts'), 'the end-to-end parts are included')
})

t.test('the quick loop runs the memory-only folders and starts its parts', async (t) => {
  t.match(pkg.scripts['test:quick'], /test\/_parts\/quick-1\.ts test\/_parts\/quick-2\.ts/)
  for (const file of files.filter(file => matchesGlob(file, IN_PROCESS_SUITES))) {
    t.ok(matchesGlob(file, QUICK_SUITES), `${file} is in the quick loop too`)
  }
})
