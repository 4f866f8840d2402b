import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t, { type Test } from 'tap'
import { DataDirLockedError, takeDataDirLock } from '../../src/adapters/local-storage/data-dir-lock.js'
import { freePort } from '../helpers/free-port.js'
import { runToExit } from '../helpers/run-to-exit.js'
import { spawnService } from '../helpers/spawn-service.js'
import { uniqueSuffix } from '../helpers/services.js'

// Three starts of the real service (one refused) plus a lock holder process: seconds each.
t.setTimeout(300_000)

function scratch (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function refusal (t: Test, take: Promise<unknown>): Promise<DataDirLockedError | null> {
  try {
    await take
    t.fail('the second take succeeded')
    return null
  } catch (error) {
    t.type(error, DataDirLockedError)
    return error as DataDirLockedError
  }
}

t.test('one holder per directory: a second take names the holder, a release frees it', async (t) => {
  const dataDir = scratch(t)
  const lock = await takeDataDirLock(dataDir)
  t.ok(existsSync(join(dataDir, 'service.lock')))
  const refused = await refusal(t, takeDataDirLock(dataDir))
  t.equal(refused?.dataDir, dataDir)
  t.equal(refused?.pid, process.pid, 'the holder answers with its pid')
  t.match(refused?.message, `${dataDir} is in use by another process (pid ${process.pid})`)

  const elsewhere = await takeDataDirLock(scratch(t))
  await elsewhere.release()

  await lock.release()
  await lock.release() // idempotent
  t.notOk(existsSync(join(dataDir, 'service.lock')), 'the socket file is removed')
  t.same(lockFiles(dataDir), [], 'nothing of the lock is left behind')
  const again = await takeDataDirLock(dataDir)
  await again.release()
})

t.test(
  'a DATA_DIR too deep for a socket path is locked all the same',
  { skip: process.platform !== 'linux' && 'reached through /proc/self/fd on Linux only' },
  async t => {
    const dataDir = join(scratch(t), 'deep-'.repeat(30))
    t.ok(Buffer.byteLength(join(dataDir, 'service.lock')) > 108, 'longer than sun_path')
    const lock = await takeDataDirLock(dataDir)
    t.equal((await refusal(t, takeDataDirLock(dataDir)))?.pid, process.pid)
    await lock.release()
    t.same(lockFiles(dataDir), [])
  }
)

t.test('a killed holder leaves a stale file: the next take reclaims it', async (t) => {
  const dataDir = scratch(t)
  const module = resolve('src/adapters/local-storage/data-dir-lock.ts')
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', `
    const { takeDataDirLock } = await import(${JSON.stringify(module)})
    await takeDataDirLock(${JSON.stringify(dataDir)})
    process.stdout.write('held\\n')
    setInterval(() => {}, 1000)
  `], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { child.kill('SIGKILL') })
  await once(child.stdout, 'data')

  const refused = await refusal(t, takeDataDirLock(dataDir))
  t.equal(refused?.pid, child.pid, 'names the other process')

  child.kill('SIGKILL')
  await once(child, 'exit')
  t.ok(existsSync(join(dataDir, 'service.lock')), 'the killed holder left its socket file')
  const lock = await takeDataDirLock(dataDir)
  t.equal((await refusal(t, takeDataDirLock(dataDir)))?.pid, process.pid, 'the reclaimed lock is held')
  await lock.release()
  t.same(lockFiles(dataDir), [])
})

t.test(
  'a second embedded instance on the same DATA_DIR exits 78 naming the holder; the first loses nothing',
  async t => {
    const dataDir = scratch(t)
    const first = await spawnService(t, { DATA_DIR: dataDir })
    const email = `first-${uniqueSuffix()}@example.com`
    const password = 'password123'
    t.equal((await first.call('POST', '/auth/register', { body: { email, password } })).status, 200)

    const second = await runToExit('main', [], { DATA_DIR: dataDir, PORT: String(await freePort()) })
    t.equal(second.code, 78)
    t.equal(second.stderr, '')
    const lines = second.stdout.split('\n').filter(line => line !== '')
    t.equal(lines.length, 1, 'one line')
    t.match(JSON.parse(lines[0]!), { level: 60, event: 'data_dir.locked', dataDir, pid: first.child.pid })

    t.equal(
      (await first.call('POST', '/auth/login/json', { body: { email, password } })).status,
      200,
      'the first still serves its member'
    )
    first.child.kill('SIGTERM')
    t.equal((await once(first.child, 'exit'))[0], 0)
    t.notOk(existsSync(join(dataDir, 'service.lock')), 'a clean stop releases the lock')

    const restarted = await spawnService(t, { DATA_DIR: dataDir })
    t.equal(
      (await restarted.call('POST', '/auth/login/json', { body: { email, password } })).status,
      200,
      'the member survived both'
    )
  }
)

/** What the lock left in a directory: its socket file and any name of its own. */
function lockFiles (dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('service.lock'))
}
