import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { freePort } from './free-port.js'
import { POSTGRES_ADMIN_URL } from './services.js'

const IN_CI = process.env.CI === 'true'
// Debian installs it in /usr/sbin, which a non-root PATH may leave out.
const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin`

/**
 * Whether the PgBouncer suites must skip: false when a `pgbouncer` binary runs. Outside CI a
 * missing one skips with the reason; under CI=true it is a failure, never a silent skip.
 */
export const noPgbouncer: false | string = (() => {
  const probe = spawnSync('pgbouncer', ['--version'], { env: { ...process.env, PATH }, encoding: 'utf8' })
  if (probe.status === 0) return false
  const reason = `pgbouncer not runnable (${probe.error?.message ?? probe.stderr.trim()})`
  if (IN_CI) throw new Error(`${reason}; CI=true requires it (apt-get install pgbouncer)`)
  return `${reason}; skipped outside CI`
})()

export interface Pgbouncer {
  port: number
  /** A PostgreSQL URL (of createTestDatabase, say) reached through this PgBouncer instead. */
  url (direct: string): string
  stop (): Promise<void>
}

/**
 * A PgBouncer in transaction mode in front of the test PostgreSQL, any database, trusting user
 * `postgres`, on a free loopback port; stopped with the test. One per test file: starting it
 * takes a few milliseconds, but every suite through it shares its server connections.
 */
export async function startPgbouncer (t: Test, { poolSize = 20 }: { poolSize?: number } = {}): Promise<Pgbouncer> {
  const dir = await mkdtemp(join(tmpdir(), 'pgbouncer-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const port = await freePort()
  const postgresAt = new URL(POSTGRES_ADMIN_URL)
  const ini = join(dir, 'pgbouncer.ini')
  await writeFile(join(dir, 'users.txt'), '"postgres" ""\n')
  // postgres.js sends only user, database, client_encoding and application_name at start-up, all
  // of which PgBouncer knows: no ignore_startup_parameters needed. No unix socket: nothing here
  // uses one, and a killed instance would leave its /tmp/.s.PGSQL.<port> behind.
  await writeFile(ini, [
    '[databases]',
    `* = host=${postgresAt.hostname} port=${postgresAt.port === '' ? '5432' : postgresAt.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'users.txt')}`,
    'pool_mode = transaction',
    'max_client_conn = 500',
    `default_pool_size = ${poolSize}`,
    ''
  ].join('\n'))
  // As root PgBouncer refuses to run unless told which user to become, who must read these files.
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    await chmod(dir, 0o755)
    await Promise.all([chmod(ini, 0o644), chmod(join(dir, 'users.txt'), 0o644)])
  }
  const args = asRoot ? ['-u', await unprivilegedUser(), ini] : [ini]
  const child = spawn('pgbouncer', args, { env: { ...process.env, PATH }, stdio: ['ignore', 'ignore', 'pipe'] })
  // Its log (a line per connection) is kept for a failure's message, not printed.
  const log: string[] = []
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    log.push(chunk)
    if (log.length > 50) log.shift()
  })
  // A spawn failure is an 'error' event, which would reject `once`: kept for the message instead.
  const exited = once(child, 'exit').catch((error: unknown) => { log.push(String(error)) })
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await exited
  }
  t.teardown(stop)
  await waitUntilAccepting(port, () => child.exitCode !== null || child.signalCode !== null, () => log.join(''))
  return {
    port,
    url (direct: string) {
      const through = new URL(direct)
      through.hostname = '127.0.0.1'
      through.port = String(port)
      return through.toString()
    },
    stop
  }
}

async function unprivilegedUser (): Promise<string> {
  const names = (await readFile('/etc/passwd', 'utf8')).split('\n').map(line => line.split(':')[0])
  const user = ['postgres', 'nobody'].find(name => names.includes(name))
  if (user === undefined) throw new Error('running as root, and no postgres or nobody user for PgBouncer to run as')
  return user
}

async function waitUntilAccepting (port: number, gone: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    if (gone()) throw new Error(`pgbouncer exited at start:\n${log()}`)
    if (await accepts(port)) return
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port} within 10 s:\n${log()}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

function accepts (port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { socket.destroy(); resolve(false) })
  })
}
