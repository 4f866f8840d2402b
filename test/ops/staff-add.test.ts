import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { composeService } from '../../src/adapters/build-service.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import { connectPostgres, openPglite, type DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleAuditLog } from '../../src/adapters/drizzle/drizzle-audit-log.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { createTestDatabase, noPg, uniqueSuffix } from '../helpers/services.js'
import { runToExit, type Run } from '../helpers/run-to-exit.js'
import { DataDirLockedError, takeDataDirLock } from '../../src/adapters/local-storage/data-dir-lock.js'

// Each run is a process that loads the service's modules and opens a database (initdb too, the
// first time with the embedded default): seconds each on a busy machine.
t.setTimeout(300_000)

/** The command as operators run it, minus the build: `node --import tsx src/staff-add.ts ...`. */
const staffAdd = (env: Record<string, string>, args: string[]): Promise<Run> => runToExit('staff-add', args, env)

/** The `label: value` lines of a successful run. */
const fields = (stdout: string): Record<string, string> =>
  Object.fromEntries(stdout.split('\n').flatMap((line) => {
    const match = /^([a-z -]+): (.+)$/.exec(line)
    return match === null ? [] : [[match[1]!, match[2]!]]
  }))

/** What every database kind must show: the account as printed, the password working, the entry in the trail. */
async function checkCreated (
  t: Test,
  run: Run,
  open: () => Promise<DatabaseHandle>,
  expected: { email: string, role: string, password?: string }
): Promise<void> {
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stderr, '')
  const printed = fields(run.stdout)
  t.equal(printed.email, expected.email)
  t.equal(printed.role, expected.role)
  const password = expected.password ?? printed['one-time password']
  if (expected.password === undefined) {
    t.match(printed['one-time password'], /^[A-Za-z0-9_-]{16,}$/, 'a generated password of 16 characters or more')
  } else {
    t.notOk('one-time password' in printed, 'a given password is not printed')
  }
  t.match(printed['totp secret'], /^[A-Z2-7]{32}$/)
  const uri = new URL(printed['totp uri']!)
  t.equal(uri.protocol, 'otpauth:')
  t.equal(uri.searchParams.get('secret'), printed['totp secret'])
  t.equal(uri.searchParams.get('issuer'), 'mobile-auth')

  const handle = await open()
  try {
    const member = await createDrizzleStaffRepository(handle.db, randomIds).findByEmail(expected.email)
    t.equal(member?.role, expected.role)
    t.equal(member?.totpSecret, printed['totp secret'])
    t.equal(member?.totpEnrolled, false, 'the console shows the QR at the first sign-in')
    t.equal(member?.disabled, false)
    const hasher = await createArgon2PasswordHasher()
    t.ok(await hasher.verify(member?.passwordHash ?? null, password!), 'the printed or given password signs in')
    t.notOk(member?.passwordHash.includes(password!), 'stored hashed')
    const trail = await createDrizzleAuditLog(handle.db, randomIds).list({ staffId: member!.id, limit: 10 })
    t.same(
      trail.map(entry => [entry.action, entry.actor.kind, entry.detail.role]),
      [['staff.added', 'system', expected.role]]
    )
    t.notMatch(JSON.stringify(trail), password!, 'no password in the trail')
  } finally {
    await handle.close()
  }
}

/** Exit 1 with exactly one line on stderr, nothing on stdout. */
function checkRefused (t: Test, run: Run, message: RegExp): void {
  t.equal(run.code, 1)
  t.equal(run.stdout, '')
  t.match(run.stderr, message)
  t.equal(run.stderr.trimEnd().split('\n').length, 1, 'one line')
}

t.test('embedded database (no DATABASE_URL): adds staff in DATA_DIR as the service would open it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'staff-add-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { DATA_DIR: dataDir }
  const open = () => openPglite(join(dataDir, 'pglite'))

  const email = `admin-${uniqueSuffix()}@example.com`
  await checkCreated(t, await staffAdd(env, ['--email', email.toUpperCase(), '--role', 'admin']), open, {
    email,
    role: 'admin'
  })
  checkRefused(
    t,
    await staffAdd(env, ['--email', email, '--role', 'reviewer', '--password', 'another password']),
    /^staff:add: a staff member with this email already exists\n$/
  )

  const reviewer = `reviewer-${uniqueSuffix()}@example.com`
  await checkCreated(
    t,
    await staffAdd(env, ['--email', reviewer, '--role', 'reviewer', '--password', 'correct horse battery']),
    open,
    { email: reviewer, role: 'reviewer', password: 'correct horse battery' }
  )

  // A second process on the embedded database's files would lose data: the command hands its work
  // to the holder of DATA_DIR's lock, and gives up when none answers (here the test holds the lock).
  const service = await takeDataDirLock(dataDir)
  try {
    checkRefused(
      t,
      await staffAdd(env, ['--email', `x-${uniqueSuffix()}@example.com`, '--role', 'admin']),
      new RegExp(`open in another process \\(pid ${process.pid}\\) that did not answer`)
    )
  } finally {
    await service.release()
  }

  // While the command works on the database it holds the lock: a service started meanwhile refuses.
  const working = staffAdd(env, ['--email', `y-${uniqueSuffix()}@example.com`, '--role', 'admin'])
  for (let i = 0; i < 600 && !existsSync(join(dataDir, 'service.lock')); i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  const refused = await takeDataDirLock(dataDir).then(
    async lock => {
      await lock.release()
      return null
    },
    (error: unknown) => error
  )
  t.type(refused, DataDirLockedError, 'the lock is held while the command runs')
  t.equal((await working).code, 0)
  t.notOk(existsSync(join(dataDir, 'service.lock')), 'and released when it ends')
})

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
