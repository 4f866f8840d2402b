import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { composeService } from '../../src/adapters/build-service.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { createTestDatabase, noPg, uniqueSuffix } from '../helpers/services.js'
import { checkCreated, checkRefused, staffAdd } from '../helpers/staff-add-runs.js'

// Each run is a process that loads the service's modules and opens a database (initdb too, the
// first time with the embedded default): seconds each on a busy machine.
t.setTimeout(300_000)

t.test('bad arguments: exit 1 with one line, before any database is touched', async (t) => {
  const env = { DATA_DIR: join(tmpdir(), `staff-add-never-${uniqueSuffix()}`) }
  const runs = await Promise.all([
    staffAdd(env, ['--email', 'a@example.com']),
    staffAdd(env, ['--email', 'a@example.com', '--role', 'admin', '--colour', 'blue']),
    staffAdd(env, ['--email', 'a@example.com', '--role']),
    staffAdd({ ...env, PORT: 'eighty' }, ['--email', 'a@example.com', '--role', 'admin'])
  ])
  checkRefused(t, runs[0]!, /usage: npm run staff:add -- --email E --role admin\|reviewer \[--password P\]/)
  checkRefused(t, runs[1]!, /Unknown option '--colour'/)
  checkRefused(t, runs[2]!, /usage:/)
  checkRefused(t, runs[3]!, /invalid configuration: PORT/)
  t.notOk(existsSync(env.DATA_DIR), 'no data directory was made')
})

t.test('bad values: every problem in one line', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'staff-add-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  checkRefused(
    t,
    await staffAdd({ DATA_DIR: dataDir }, ['--email', 'not an email', '--role', 'owner', '--password', 'short']),
    new RegExp(
      '^staff:add: --email is not an email address; --role must be admin or reviewer; ' +
        '--password must be at least 8 characters\n$'
    )
  )
})

t.test('PostgreSQL (DATABASE_URL): adds staff, migrating an empty database first', { skip: noPg }, async (t) => {
  const url = await createTestDatabase(t)
  const env = { DATABASE_URL: url, DATA_DIR: join(tmpdir(), `staff-add-unused-${uniqueSuffix()}`) }
  const open = async () => connectPostgres({ url, poolSize: 1, connectTimeoutSeconds: 5 })
  const email = `admin-${uniqueSuffix()}@example.com`
  await checkCreated(t, await staffAdd(env, ['--email', email, '--role', 'admin']), open, { email, role: 'admin' })
  checkRefused(
    t,
    await staffAdd(env, ['--email', email, '--role', 'admin']),
    /^staff:add: a staff member with this email already exists\n$/
  )
})

t.test(
  'embedded database held by the running service: the command hands the work over, refusals come back',
  async t => {
    const dataDir = mkdtempSync(join(tmpdir(), 'staff-add-running-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' })
    const app = await composeService(config, createLogger('silent'))
    t.teardown(() => app.close())
    const env = { DATA_DIR: dataDir }
    const email = `running-${uniqueSuffix()}@example.com`
    const added = await staffAdd(env, ['--email', email, '--role', 'reviewer'])
    t.equal(added.code, 0, added.stderr)
    t.match(added.stdout, new RegExp(`^email: ${email}$`, 'm'))
    t.match(added.stdout, /^totp secret: [A-Z2-7]{32}$/m)
    checkRefused(
      t,
      await staffAdd(env, ['--email', email, '--role', 'admin']),
      /^staff:add: a staff member with this email already exists\n$/
    )
    t.same(readdirSync(join(dataDir, 'staff-inbox')), [], 'no request or answer left behind')
  }
)
