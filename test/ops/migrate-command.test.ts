import { readFileSync } from 'node:fs'
import t from 'tap'
import postgres from 'postgres'
import { runMigrateCommand } from '../../src/adapters/cli/migrate-command.js'
import { takeDataDirLock } from '../../src/adapters/local-storage/data-dir-lock.js'
import { freePort } from '../helpers/free-port.js'
import { runToExit } from '../helpers/run-to-exit.js'
import { POSTGRES_ADMIN_URL, createTestDatabase, noPg, uniqueSuffix } from '../helpers/services.js'

// The command is given its environment whole: each run below has DATABASE_URL (or DATA_DIR) and
// NODE_ENV=production and nothing else, none of the secrets the service refuses to start without.
const ALL_TAGS = (JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: Array<{ tag: string }> })
  .entries.map(entry => entry.tag)

t.test('two migrate runs at once on a fresh database: both exit 0, schema applied once', { skip: noPg }, async t => {
  const url = await createTestDatabase(t)
  const env = { DATABASE_URL: url, NODE_ENV: 'production' }
  const runs = await Promise.all([runMigrateCommand(env), runMigrateCommand(env)])
  t.same(runs.map(run => run.code), [0, 0])
  t.same(runs.map(run => run.line.event), ['migrate.applied', 'migrate.applied'])
  const applied = runs.map(run => run.line.applied as string[]).sort((a, b) => b.length - a.length)
  t.same(applied, [ALL_TAGS, []], 'one run applied every migration, in order; the other found none to do')
  t.match(runs[0]!.line, { store: 'postgres', host: '127.0.0.1', database: new URL(url).pathname.slice(1) })

  const sql = postgres(url, { max: 1 })
  t.teardown(() => sql.end())
  const recorded = await sql`select hash from drizzle.__drizzle_migrations`
  t.equal(recorded.length, ALL_TAGS.length, 'each migration recorded once')
  t.equal(new Set(recorded.map(row => row.hash)).size, recorded.length)

  const again = await runMigrateCommand(env)
  t.same([again.code, again.line.count, again.line.applied], [0, 0, []], 'a third run has nothing to do')
})

t.test(
  'node cli.js migrate twice at once, with only PATH, DATABASE_URL and NODE_ENV=production: one JSON line each, exit 0',
  { skip: noPg },
  async t => {
    const url = await createTestDatabase(t)
    const env = { DATABASE_URL: url, NODE_ENV: 'production' }
    const runs = await Promise.all([runToExit('cli', ['migrate'], env), runToExit('cli', ['migrate'], env)])
    t.same(runs.map(run => [run.code, run.stderr]), [[0, ''], [0, '']])
    const lines = runs.map(run => {
      t.equal(run.stdout.split('\n').filter(line => line !== '').length, 1, 'one line')
      return JSON.parse(run.stdout) as { event: string, applied: string[] }
    })
    t.same(lines.map(line => line.event), ['migrate.applied', 'migrate.applied'])
    t.same(lines.map(line => line.applied).sort((a, b) => b.length - a.length), [ALL_TAGS, []])
  }
)

t.test('PostgreSQL unreachable: EX_UNAVAILABLE, a hint, and never the password', async t => {
  const port = await freePort()
  const run = await runMigrateCommand({
    DATABASE_URL: `postgres://auth:s3cret-Pa55@127.0.0.1:${port}/members`,
    DATABASE_CONNECT_TIMEOUT: '2',
    NODE_ENV: 'production'
  })
  t.equal(run.code, 69)
  t.match(run.line, {
    event: 'migrate.failed',
    store: 'postgres',
    port: String(port),
    database: 'members',
    user: 'auth',
    reason: 'ECONNREFUSED',
    hint: /DATABASE_URL/
  })
  t.notMatch(JSON.stringify(run.line), 's3cret-Pa55')
})

t.test('a database that does not exist: EX_CONFIG and the hint to create it', { skip: noPg }, async t => {
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/missing_${uniqueSuffix()}`
  const run = await runMigrateCommand({ DATABASE_URL: url.toString(), NODE_ENV: 'production' })
  t.equal(run.code, 78)
  t.match(run.line, { event: 'migrate.failed', reason: '3D000', hint: /createdb/ })
})

t.test('production without DATABASE_URL: refused, the typo named', async t => {
  const dataDir = t.testdir()
  const run = await runMigrateCommand({ NODE_ENV: 'production', DATABSE_URL: 'postgres://db/app', DATA_DIR: dataDir })
  t.equal(run.code, 78)
  t.equal(run.line.event, 'config.invalid')
  t.match(run.line.problems, [/^DATABASE_URL is required when NODE_ENV=production/])
  t.same(run.line.nearMisses, [{ variable: 'DATABSE_URL', known: 'DATABASE_URL' }])
})

t.test('a malformed DATABASE_URL is refused as the service refuses it', async t => {
  const run = await runMigrateCommand({ DATABASE_URL: 'mysql://db/app', DATABASE_CONNECT_TIMEOUT: 'soon' })
  t.equal(run.code, 78)
  t.same(run.line.problems, [
    'DATABASE_URL must be a postgres: or postgresql: URL',
    'DATABASE_CONNECT_TIMEOUT must be a whole number from 1 to 120'
  ])
})

t.test('the embedded database: refused while another process holds DATA_DIR, then migrated', async t => {
  const dataDir = t.testdir()
  const lock = await takeDataDirLock(dataDir)
  const refused = await runMigrateCommand({ DATA_DIR: dataDir })
  await lock.release()
  t.equal(refused.code, 75, 'EX_TEMPFAIL: try again')
  t.match(refused.line, { event: 'migrate.failed', store: 'pglite', reason: 'data_dir_locked', hint: /DATA_DIR/ })

  const run = await runMigrateCommand({ DATA_DIR: dataDir })
  t.equal(run.code, 0)
  t.match(run.line, { event: 'migrate.applied', store: 'pglite', count: ALL_TAGS.length, applied: ALL_TAGS })
})
