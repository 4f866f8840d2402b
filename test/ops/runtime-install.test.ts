import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, realpath, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { spawnService } from '../helpers/spawn-service.js'

// The image's runtime stage, reproduced here: production dependencies installed with no compiler
// toolchain (no python, make or g++ on PATH, as in node:*-slim), then the built service must start,
// hash a password with argon2's prebuilt binary and answer /ready. A native module that silently
// needed compiling would fail here, not in a production build.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TOOLCHAIN = ['python3', 'python', 'make', 'g++', 'gcc', 'cc', 'c++']

t.setTimeout(300_000)

t.test('npm ci --omit=dev with no toolchain, then the built service hashes a password and is ready', async (t) => {
  const dir = t.testdir()
  const app = join(dir, 'app')
  const bin = join(dir, 'bin')
  await mkdir(bin)
  const npmCli = await realpath(
    process.env.npm_execpath ?? execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()
  )
  await symlink(process.execPath, join(bin, 'node'))
  await symlink(npmCli, join(bin, 'npm'))
  await symlink('/bin/sh', join(bin, 'sh'))
  const env = { PATH: bin, HOME: process.env.HOME ?? dir, npm_config_update_notifier: 'false' }
  const found = spawnSync('/bin/sh', ['-c', TOOLCHAIN.map((tool) => `command -v ${tool}`).join(' || ')], { env })
  t.not(found.status, 0, `none of ${TOOLCHAIN.join(', ')} is on the PATH`)

  // What the Dockerfile copies into the runtime stage: the lockfile, the built code, the migrations.
  // `npm test` type-checks and emits the code to .tap/build just before tap runs; run alone, this
  // file compiles it itself.
  const built = join(ROOT, '.tap/build/src')
  if (process.env.npm_lifecycle_event === 'test' && existsSync(join(built, 'main.js'))) {
    await cp(built, join(app, 'dist'), { recursive: true })
  } else {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        join(app, 'dist')
      ],
      { stdio: 'pipe' }
    )
  }
  for (const file of ['package.json', 'package-lock.json']) await cp(join(ROOT, file), join(app, file))
  await cp(join(ROOT, 'drizzle'), join(app, 'drizzle'), { recursive: true })

  const install = spawnSync(
    process.execPath,
    [npmCli, 'ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: app, env, encoding: 'utf8', timeout: 240_000 }
  )
  t.equal(install.status, 0, `npm ci --omit=dev succeeds without a toolchain\n${install.stdout}\n${install.stderr}`)
  t.notMatch(install.stderr, /gyp (ERR|info)/, 'nothing was compiled')

  const service = await spawnService(t, { ...env, DATA_DIR: join(dir, 'data') }, { args: ['dist/main.js'], cwd: app })
  const post = async (path: string, body: unknown) => service.call('POST', path, { body })
  const credentials = { email: 'runtime@example.com', password: 'runtime password 1' }
  t.equal((await post('/auth/register', credentials)).status, 200, 'argon2 hashed the password')
  const login = await post('/auth/login/json', credentials)
  t.equal(login.status, 200, 'and verifies it')
  t.equal(login.body.token_type, 'bearer')
  const ready = await service.call('GET', '/ready')
  t.equal(ready.status, 200)
  t.same(ready.body, { status: 'ready', checks: { database: 'ok' } })
})
