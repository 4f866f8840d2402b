import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import postgres from 'postgres'
import { POSTGRES_ADMIN_URL, createTestDatabase, noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { sample } from '../helpers/prometheus.js'
import { spawnService } from '../helpers/spawn-service.js'
import { startTcpProxy } from '../helpers/tcp-proxy.js'
import { freePort } from '../helpers/free-port.js'
import { runToExit, type Run } from '../helpers/run-to-exit.js'

// Six real processes of the service, five of them started side by side: on a machine running
// several suites at once each start can take tens of seconds, so this file has a budget of its own.
t.setTimeout(300_000)

/** The real entry point run until it exits: what it printed on each stream, and its exit code. */
const runService = (env: Record<string, string>) => runToExit('main', [], env)

/** Every line must be JSON; returns them parsed. */
function jsonLines (t: Test, text: string): Array<Record<string, any>> {
  return text.split('\n').filter((line) => line !== '').map((line) => {
    try { return JSON.parse(line) as Record<string, any> } catch { t.fail(`not a JSON line: ${line}`); return {} }
  })
}

// The runs that exit by themselves start at once, side by side: each spends its time loading the
// service, and the assertions below only wait for the one they read.
const scratch = mkdtempSync(join(tmpdir(), 'startup-failures-'))
t.teardown(() => rmSync(scratch, { recursive: true, force: true }))
const dataDir = (name: string): string => join(scratch, name)
const example = parse(readFileSync('deploy/secret.example.yaml', 'utf8')) as { stringData: Record<string, string> }
const deadPort = await freePort()
// What production needs, real-looking: each run below spoils one part.
const live = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/app',
  REDIS_URL: 'redis://cache:6379',
  JWT_SECRET: 'aHgWq5PRFj4OC5Dpc4UhkLDdYZ7I25qp36JriK9dq0w',
  TWILIO_ACCOUNT_SID: 'AC123',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+15005550006',
  S3_BUCKET: 'media',
  SMTP_URL: 'smtps://mailer:secret@smtp.mail.net',
  MAIL_FROM: 'Mobile Auth <no-reply@auth.mail.net>'
}
const missingDatabase = new URL(POSTGRES_ADMIN_URL)
missingDatabase.pathname = `/missing_${uniqueSuffix()}`
const unknownRole = new URL(POSTGRES_ADMIN_URL)
unknownRole.username = `no_role_${uniqueSuffix()}`
// A database whose `users` table was made by hand: the first migration cannot create its own.
const clashing = noPg === false ? await createTestDatabase(t) : null
if (clashing !== null) {
  const sql = postgres(clashing, { max: 1 })
  await sql`create table users (id int)`
  await sql.end()
}
// A port this test holds, so the service finds it taken.
const taken = createServer()
await new Promise<void>(resolve => taken.listen(0, '127.0.0.1', resolve))
t.teardown(() => new Promise(resolve => taken.close(resolve)))
const takenPort = String((taken.address() as { port: number }).port)
// A DATA_DIR the service may not create: a read-only directory's child, or (as root, who may
// write anywhere) one under /sys, which the kernel refuses to anyone.
const readOnly = dataDir('read-only')
mkdirSync(readOnly)
chmodSync(readOnly, 0o500)
const deniedDataDir = process.getuid?.() === 0 ? `/sys/auth-test-${uniqueSuffix()}` : join(readOnly, 'data')
const runs = {
  badConfig: runService({
    NODE_ENV: 'production',
    PORT: 'eighty',
    JWT_SECRETS: 'x'.repeat(40),
    DATABSE_URL: 'postgres://db/app',
    DATA_DIR: dataDir('bad')
  }),
  placeholders: runService({
    ...example.stringData,
    NODE_ENV: 'production',
    S3_BUCKET: 'media-bucket',
    MAIL_FROM: 'no-reply@auth.mail.net',
    DATA_DIR: dataDir('placeholders')
  }),
  guessable: runService({
    ...live,
    JWT_SECRET: 'passwordpassword'.repeat(3),
    ADMIN_API_KEY: 'a'.repeat(32),
    MEDIA_BASE_URL: 'https://media.example.com/',
    DATA_DIR: dataDir('guessable')
  }),
  unreachable: runService({
    DATABASE_URL: `postgres://auth:s3cret-Pa55@127.0.0.1:${deadPort}/members`,
    DATABASE_CONNECT_TIMEOUT: '2',
    DATA_DIR: dataDir('unreachable'),
    LOG_LEVEL: 'info'
  }),
  missing:
    noPg === false ? runService({ DATABASE_URL: missingDatabase.toString(), DATA_DIR: dataDir('missing') }) : null,
  unknownRole:
    noPg === false ? runService({ DATABASE_URL: unknownRole.toString(), DATA_DIR: dataDir('role') }) : null,
  clashing: clashing === null ? null : runService({ DATABASE_URL: clashing, DATA_DIR: dataDir('clashing') }),
  portTaken: runService({ PORT: takenPort, DATA_DIR: dataDir('port') }),
  dataDirDenied: runService({ DATA_DIR: deniedDataDir })
}

t.test('bad configuration: one fatal JSON line naming every problem, exit 78', async (t) => {
  const run = await runs.badConfig
  t.equal(run.code, 78)
  t.equal(run.stderr, '', 'no raw text on stderr')
  const lines = jsonLines(t, run.stdout)
  t.equal(lines.length, 1)
  const [line] = lines
  t.equal(line?.level, 60)
  t.equal(line?.event, 'config.invalid')
  const named = (line?.problems as string[]).map((problem) => problem.split(' ')[0])
  for (const name of [
    'PORT',
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_FROM',
    'SMTP_URL',
    'MAIL_FROM',
    'DATABASE_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'S3_BUCKET'
  ]) { t.ok(named.includes(name), `names ${name} in the one report`) }
  t.same(line?.nearMisses, [
    { variable: 'JWT_SECRETS', known: 'JWT_SECRET' },
    { variable: 'DATABSE_URL', known: 'DATABASE_URL' }
  ])
})

t.test("the example Secret's placeholders are refused in production, named and never echoed", async (t) => {
  const run = await runs.placeholders
  t.equal(run.code, 78)
  const [line] = jsonLines(t, run.stdout)
  const named = (line?.problems as string[]).map((problem) => problem.split(' ')[0]).sort()
  t.same(named, Object.keys(example.stringData).sort(), 'every placeholder value is refused')
  t.notMatch(run.stdout, 'CHANGE-ME')
  t.notMatch(run.stdout, 'example.invalid')
})

t.test(
  'guessable signing keys and example hosts are refused in production: one JSON line naming each, exit 78',
  async t => {
    const run = await runs.guessable
    t.equal(run.code, 78)
    t.equal(run.stderr, '')
    const lines = jsonLines(t, run.stdout)
    t.equal(lines.length, 1)
    t.equal(lines[0]?.event, 'config.invalid')
    t.same(
      (lines[0]?.problems as string[]).map(problem => problem.split(' ')[0]),
      ['JWT_SECRET', 'ADMIN_API_KEY', 'MEDIA_BASE_URL']
    )
    t.notMatch(run.stdout, 'passwordpassword', 'the keys are never echoed')
    t.notMatch(run.stdout, 'aaaaaaaa')
  }
)

t.test('PostgreSQL unreachable at start: one fatal line with host and database, never the password', async (t) => {
  const port = deadPort
  const run = await runs.unreachable
  t.equal(run.code, 1)
  t.equal(run.stderr, '', 'no stack trace on stderr')
  const fatal = jsonLines(t, run.stdout).filter((line) => line.level === 60)
  t.equal(fatal.length, 1)
  t.match(fatal[0], {
    event: 'startup.failed',
    store: 'postgres',
    host: '127.0.0.1',
    port: String(port),
    database: 'members',
    user: 'auth',
    cause: { code: 'ECONNREFUSED' },
    hint: /PostgreSQL refused the connection: check that it is running and that DATABASE_URL names its host/
  })
  t.notMatch(run.stdout, 's3cret-Pa55')
  t.notMatch(run.stdout, /\n\s+at /, 'no stack')
})

t.test('PostgreSQL database missing at start: the SQLSTATE names the cause', { skip: noPg }, async (t) => {
  const url = missingDatabase
  const run = (await runs.missing)!
  t.equal(run.code, 1)
  t.equal(run.stderr, '')
  const fatal = jsonLines(t, run.stdout).filter((line) => line.level === 60)
  t.equal(fatal.length, 1)
  t.match(fatal[0], {
    event: 'startup.failed',
    store: 'postgres',
    database: url.pathname.slice(1),
    cause: { code: '3D000' },
    hint: /does not exist: create it \(createdb\)/
  })
})

/** The one fatal line of a run that failed to start (exit 1, nothing on stderr). */
async function startupFailure (t: Test, pending: Promise<Run> | null): Promise<Record<string, any> | undefined> {
  const run = (await pending)!
  t.equal(run.code, 1)
  t.equal(run.stderr, '')
  const fatal = jsonLines(t, run.stdout).filter(line => line.level === 60)
  t.equal(fatal.length, 1)
  t.equal(fatal[0]?.event, 'startup.failed')
  return fatal[0]
}

t.test('PostgreSQL refuses the user: the hint points at DATABASE_URL and pg_hba.conf', { skip: noPg }, async t => {
  t.match(await startupFailure(t, runs.unknownRole), {
    store: 'postgres',
    user: unknownRole.username,
    cause: { code: '28000' },
    hint: /check the user in DATABASE_URL exists and pg_hba\.conf lets it in/
  })
})

t.test('a migration fails at start: the hint says so, and how to see which', { skip: noPg }, async t => {
  t.match(await startupFailure(t, runs.clashing), {
    store: 'postgres',
    cause: { code: '42P07' },
    hint: /^a migration failed: run `node dist\/cli\.js migrate`/
  })
})

t.test('the port is taken: EADDRINUSE, and the hint to free it or choose another', async t => {
  t.match(await startupFailure(t, runs.portTaken), {
    cause: { code: 'EADDRINUSE', message: new RegExp(takenPort) },
    hint: /another process already listens on PORT/
  })
})

t.test('DATA_DIR may not be written: the hint says whose permission to fix', async t => {
  const line = await startupFailure(t, runs.dataDirDenied)
  t.ok(['EACCES', 'EPERM', 'EROFS'].includes(line?.cause?.code), `a permission error (${line?.cause?.code})`)
  t.match(line?.hint, /^DATA_DIR is not writable by the service's user/)
})

t.test(
  'Redis unreachable: one redis.down line with the cause, redis.up on recovery, no ioredis stack spam',
  { skip: noRedis },
  async t => {
    const redis = await startTcpProxy(t, {
      host: '127.0.0.1',
      port: Number(new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379)
    })
    redis.set('refuse')
    const metricsPort = await freePort()
    const service = await spawnService(t, {
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_KEY_PREFIX: `test:${uniqueSuffix()}:`,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      DATA_DIR: t.testdir(),
      METRICS_PORT: String(metricsPort)
    })
    // ioredis retries every 100-2000 ms: long enough for several failed reconnects.
    await new Promise(resolve => setTimeout(resolve, 4000))
    t.equal((await service.call('GET', '/ready')).status, 503)
    const during = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
    t.ok(
      (sample(during, 'redis_command_errors_total', { command: 'ping' }) ?? 0) >= 1,
      'the failed readiness pings are counted as Redis errors'
    )
    redis.set('pass')
    for (let i = 0; i < 40 && !service.output().includes('"event":"redis.up"'); i++) {
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    t.equal((await service.call('GET', '/ready')).status, 200)

    t.notMatch(service.output(), '[ioredis]', 'no plain-text ioredis lines')
    const lines = jsonLines(t, service.output())
    const down = lines.filter(line => line.event === 'redis.down')
    t.equal(down.length, 1, 'one line for the whole outage')
    t.equal(down[0]?.level, 50)
    t.equal(down[0]?.cause?.code, 'ECONNRESET', 'the cause survives redaction')
    t.match(down[0]?.hint, /^Redis closed the connection: check that REDIS_URL names its port/)
    t.equal(lines.filter(line => line.event === 'redis.up').length, 1)
  }
)
