import { spawnSync } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import t from 'tap'

// The layer rules of .dependency-cruiser.cjs, run as `depcruise` runs them.
const ROOT = resolve(import.meta.dirname, '../..')
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise')

function cruise (cwd: string) {
  const run = spawnSync(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  return { status: run.status, output: run.stdout + run.stderr }
}

t.test('the service keeps its layers: no rule of .dependency-cruiser.cjs is broken', async (t) => {
  const { status, output } = cruise(ROOT)
  t.equal(status, 0, output)
  t.match(output, /no dependency violations found/)
})

t.test('each rule fails on a planted wrong import', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'layers-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await copyFile(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'))
  await copyFile(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'))
  const files: Record<string, string> = {
    'src/domain/user.ts': 'export type User = { id: string }\n',
    'src/domain/planted.ts': "import { route } from '../adapters/http/routes.js'\nexport const planted = route\n",
    'src/application/use-case.ts':
      "import type { User } from '../domain/user.js'\n" +
      "import { stored } from '../adapters/redis/store.js'\n" +
      'export const useCase = (user: User) => stored(user.id)\n',
    'src/adapters/http/routes.ts': 'export const route = 1\n',
    'src/adapters/redis/store.ts':
      "import { route } from '../http/routes.js'\nexport const stored = (id: string) => id + String(route)\n",
    'src/adapters/system/clock.ts': 'export const now = () => 0\n',
    'src/adapters/redis/clocked.ts': "import { now } from '../system/clock.js'\nexport const at = now()\n",
    'src/main.ts': "import { fake } from '../test/fakes/fake.js'\nexport const wired = fake\n",
    'src/adapters/cli/tool.ts': "import { stored } from '../redis/store.js'\nexport const tool = stored('x')\n",
    'src/adapters/http/uses-tool.ts': "import { tool } from '../cli/tool.js'\nexport const used = tool\n",
    'test/fakes/fake.ts': 'export const fake = 1\n'
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  const { status, output } = cruise(dir)
  t.not(status, 0, 'the cruise fails')
  t.match(
    output,
    /domain-is-pure: src\/domain\/planted\.ts → src\/adapters\/http\/routes\.ts/,
    'the domain importing an adapter'
  )
  t.match(
    output,
    /application-knows-domain-and-ports: src\/application\/use-case\.ts → src\/adapters\/redis\/store\.ts/,
    'a use-case importing an adapter'
  )
  t.match(
    output,
    /no-sibling-adapter: src\/adapters\/redis\/store\.ts → src\/adapters\/http\/routes\.ts/,
    'an adapter importing a sibling'
  )
  t.match(output, /nothing-imports-tests: src\/main\.ts → test\/fakes\/fake\.ts/, 'the service importing a test fake')
  t.match(
    output,
    /cli-is-a-composition-root: src\/adapters\/http\/uses-tool\.ts → src\/adapters\/cli\/tool\.ts/,
    'an adapter importing the command-line tool'
  )
  t.notMatch(output, /clocked\.ts/, 'the system primitives are every adapter\'s')
  t.notMatch(output, /cli\/tool\.ts → /, 'the command-line tool composes any adapter')
  t.notMatch(output, /use-case\.ts → src\/domain/, 'the application may import the domain')
})
