import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import t from 'tap'

t.test('npm start with no configuration serves, and SIGTERM exits 0 after closing', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-shutdown-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  // The real entry point, in the embedded default (PGlite, memory stores), on a free port.
  const child = spawn(process.execPath, ['--import=tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })

  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${output}`)), 60_000)
    child.stdout.on('data', () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match !== null) { clearTimeout(timer); resolve(match[1]!) }
    })
  })
  const ready = await fetch(`${base}/ready`)
  t.equal(ready.status, 200)
  const register = fetch(`${base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'shutdown@example.com', password: 'password123' }) })
  // SIGTERM while the registration (argon2 hashing) is in flight: it still completes.
  await new Promise((resolve) => setTimeout(resolve, 5))
  child.kill('SIGTERM')
  const response = await register
  t.equal(response.status, 200)
  const [code] = await once(child, 'exit')
  t.equal(code, 0)
  t.match(output, /shutting down/)
  t.notMatch(output, /password123/)
  if (code !== 0) t.comment(output)
})
