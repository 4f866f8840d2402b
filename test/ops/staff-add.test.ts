import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { composeService } from '../../src/adapters/build-service.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { createTestDatabase, noPg, uniqueSuffix } from '../helpers/services.js'
import { checkCreated, checkRefused, lineOf, staffAdd } from '../helpers/staff-add-runs.js'
import { runToExit } from '../helpers/run-to-exit.js'
import { EXIT } from '../../src/adapters/cli/command-outcome.js'

// Each run is a process that loads the service's modules and opens a database (initdb too, the
// first time with the embedded default): seconds each on a busy machine.
t.setTimeout(300_000)

t.test('bad arguments: exit 64 or 78 with one JSON line, before any database is touched', async (t) => {
  const env = { DATA_DIR: join(tmpdir(), `staff-add-never-${uniqueSuffix()}`) }
  const runs = await Promise.all([
    staffAdd(env, ['--email', 'a@example.com']),
    staffAdd(env, ['--email', 'a@example.com', '--role', 'admin', '--colour', 'blue']),
    staffAdd(env, ['--email', 'a@example.com', '--role']),
    staffAdd({ ...env, PORT: 'eighty', ARGON2_ITERATIONS: 'many' }, ['--email', 'a@example.com', '--role', 'admin'])
  ])
  const usage = ['cli.js staff add --email E --role admin|reviewer [--password P]']
  checkRefused(t, runs[0]!, EXIT.usage, { event: 'cli.usage', problem: 'staff add needs --email and --role', usage })
  checkRefused(t, runs[1]!, EXIT.usage, { event: 'cli.usage', problem: /Unknown option '--colour'/ })
  checkRefused(t, runs[2]!, EXIT.usage, { event: 'cli.usage', problem: /--role/ })
  checkRefused(t, runs[3]!, EXIT.config, { event: 'config.invalid' })
  // The staff commands read only what they use: the service's PORT is not theirs to refuse.
  t.match(JSON.parse(runs[3]!.stderr).problems, ['ARGON2_ITERATIONS must be a whole number from 2 to 100'])
  t.equal(JSON.parse(runs[3]!.stderr).problems.length, 1)
  t.notOk(existsSync(env.DATA_DIR), 'no data directory was made')
})

t.test('bad values: every problem in one line', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'staff-add-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  checkRefused(
    t,
    await staffAdd({ DATA_DIR: dataDir }, ['--email', 'not an email', '--role', 'owner', '--password', 'short']),
    EXIT.refused,
    {
      event: 'staff.refused',
      problems: { email: ['invalid_email'], role: ['invalid_choice'], password: ['password_too_short'] },
      message: '--email is not an email address; --role must be admin or reviewer; ' +
        '--password must be at least 8 characters'
    }
  )
})

t.test('PostgreSQL (DATABASE_URL): adds staff, migrating an empty database first', { skip: noPg }, async (t) => {
  const url = await createTestDatabase(t)
  const env = { DATABASE_URL: url, DATA_DIR: join(tmpdir(), `staff-add-unused-${uniqueSuffix()}`) }
  const open = async () => connectPostgres({ url, poolSize: 1, connectTimeoutSeconds: 5 })
  const email = `admin-${uniqueSuffix()}@example.com`
  await checkCreated(t, await staffAdd(env, ['--email', email, '--role', 'admin']), open, { email, role: 'admin' })
  checkRefused(t, await staffAdd(env, ['--email', email, '--role', 'admin']), EXIT.refused, {
    event: 'staff.refused',
    problems: { email: ['email_taken'] },
    message: 'a staff member with this email already exists'
  })
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
    t.match(lineOf(t, added.stdout), {
      event: 'staff.added',
      email,
      role: 'reviewer',
      oneTimePassword: /^[A-Za-z0-9_-]{24}$/,
      mustChangePassword: true
    })
    t.notMatch(added.stdout, /otpauth|[A-Z2-7]{32}/, 'no TOTP secret printed')
    checkRefused(t, await staffAdd(env, ['--email', email, '--role', 'admin']), EXIT.refused, {
      event: 'staff.refused',
      problems: { email: ['email_taken'] }
    })
    t.same(readdirSync(join(dataDir, 'staff-inbox')), [], 'no request or answer left behind')
    // The other staff commands do not go through the inbox: they ask for the service to stop, or the console.
    for (const command of [['list'], ['disable', '--email', email], ['reset-password', '--email', email]]) {
      checkRefused(t, await runToExit('cli', ['staff', ...command], env), EXIT.tryAgain, {
        event: 'data_dir.locked',
        dataDir,
        hint: /stop it and run the command again, or do this in the console/
      })
    }
  }
)
