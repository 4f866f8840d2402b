import t, { type Test } from 'tap'
import { EXIT } from '../../src/adapters/cli/command-outcome.js'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { createDrizzleAuditLog } from '../../src/adapters/drizzle/drizzle-audit-log.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { connectRedis } from '../../src/adapters/redis/redis-client.js'
import { createRedisStaffSessionStore } from '../../src/adapters/redis/redis-staff-session-store.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { STAFF_SESSION_SETTINGS } from '../../src/application/staff/staff-session-settings.js'
import { buildImageLayout, CHECKOUT_REACHABLE } from '../helpers/image-layout.js'
import type { Run } from '../helpers/run-to-exit.js'
import {
  createTestDatabase, createTestRedisPrefix, noPg, noRedis, TEST_REDIS_URL, uniqueSuffix
} from '../helpers/services.js'

// Every staff command of `node dist/cli.js`, run as the image runs it: compiled code with no src/
// and no compiler, root-owned read-only files, the unprivileged user, NODE_ENV=production, and
// only the variables the command uses (no SMS, mail, storage or signing settings), against
// PostgreSQL and Redis. Each check reads the outcome line, the exit code and the database.
t.setTimeout(300_000)

const skip = noPg || noRedis
const layout = skip ? null : await buildImageLayout(t)
const url = skip ? '' : await createTestDatabase(t)
const prefix = skip ? '' : createTestRedisPrefix(t)
const env = { NODE_ENV: 'production', DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix }

const cli = async (args: string[], vars: Record<string, string> = env): Promise<Run> => await layout!.cli(args, vars)

/** The one JSON line of a run: on stdout for exit 0, on stderr otherwise, the other stream empty. */
function outcome (t: Test, run: Run, code: number): Record<string, unknown> {
  t.equal(run.code, code, `${run.stdout}${run.stderr}`)
  const [printed, silent] = code === 0 ? [run.stdout, run.stderr] : [run.stderr, run.stdout]
  t.equal(silent, '', 'nothing on the other stream')
  const lines = printed.trimEnd().split('\n')
  t.equal(lines.length, 1, 'one line')
  const line = JSON.parse(lines[0]!) as Record<string, unknown>
  t.match(line, { time: /^\d{4}-\d\d-\d\dT.*Z$/, event: String })
  return line
}

/** The database as the service sees it, for one check. */
async function inDatabase<T> (look: (tools: {
  staff: ReturnType<typeof createDrizzleStaffRepository>
  trail: (staffId: string) => Promise<Array<{ action: string, actor: string }>>
}) => Promise<T>): Promise<T> {
  const handle = connectPostgres({ url, poolSize: 1, connectTimeoutSeconds: 5 })
  try {
    const audit = createDrizzleAuditLog(handle.db, randomIds)
    return await look({
      staff: createDrizzleStaffRepository(handle.db, randomIds),
      trail: async (staffId) => (await audit.list({ staffId, limit: 20 }))
        .map(entry => ({ action: entry.action, actor: entry.actor.kind }))
    })
  } finally {
    await handle.close()
  }
}

/** A console session of the member in the Redis the commands are pointed at. */
async function withSessions<T> (use: (store: ReturnType<typeof createRedisStaffSessionStore>) => Promise<T>) {
  const client = connectRedis({ url: TEST_REDIS_URL, sentinels: null, keyPrefix: prefix, commandTimeoutMs: 2000 })
  try {
    return await use(createRedisStaffSessionStore(client, { clock: systemClock, settings: STAFF_SESSION_SETTINGS }))
  } finally {
    await client.quit()
  }
}
const signedIn = async (staffId: string) => await withSessions(store =>
  store.create({ staffId, stage: 'signed_in', address: '127.0.0.1', userAgent: 'test' }))
const live = async (session: string) => await withSessions(async store => (await store.get(session)) !== null)

// As root in a checkout uid 1000 cannot reach, the commands run as root, who may write anywhere.
const unprivileged = skip !== false
  ? skip
  : process.getuid?.() === 0 && !CHECKOUT_REACHABLE
    ? 'uid 1000 cannot reach this checkout (a folder above it is closed to others, as mktemp -d makes it)'
    : false

const layoutIsTheImages = 'the layout is the image\'s: no sources, no compiler, nothing its user may write'
t.test(layoutIsTheImages, { skip: unprivileged }, async t => {
  const probe = await layout!.node(['-e', `
    const fs = require('node:fs')
    const exists = (path) => fs.existsSync(path)
    let wrote = 'no'
    try { fs.writeFileSync('probe', 'x'); wrote = 'yes' } catch (error) { wrote = error.code }
    console.log(JSON.stringify({ src: exists('src'), tsc: exists('node_modules/typescript'),
      tsx: exists('node_modules/tsx'), argon2: exists('node_modules/argon2'), wrote }))`])
  t.equal(probe.code, 0, probe.stderr)
  t.same(JSON.parse(probe.stdout), { src: false, tsc: false, tsx: false, argon2: true, wrote: 'EACCES' })
  t.ok(layout!.asImageUser || process.getuid?.() !== 0, 'run as uid 1000 whenever the test can switch users')
})

t.test('no command, help, or an unknown one: the usage as one line, exit 64', { skip }, async t => {
  for (const args of [[], ['help'], ['stuff'], ['staff'], ['staff', 'remove', '--email', 'a@example.com']]) {
    const line = outcome(t, await cli(args), EXIT.usage)
    t.equal(line.event, 'cli.usage')
    t.ok((line.usage as string[]).includes('cli.js staff reset-password --email E'), 'the usage lists the commands')
    if (args.length > 0 && args[0] !== 'help') t.type(line.problem, 'string', `${args.join(' ')}: the problem named`)
  }
  const missing = outcome(t, await cli(['staff', 'disable']), EXIT.usage)
  t.equal(missing.problem, 'staff disable needs --email')
})

t.test('staff add, list, disable, enable, reset-second-factor, reset-password on one member', { skip }, async t => {
  const email = `lead-${uniqueSuffix()}@example.com`
  const added = outcome(t, await cli(['staff', 'add', '--email', email.toUpperCase(), '--role', 'admin']), EXIT.ok)
  t.match(added, {
    event: 'staff.added', email, role: 'admin', oneTimePassword: /^[A-Za-z0-9_-]{24}$/, mustChangePassword: true
  })
  t.notMatch(JSON.stringify(added), /otpauth|secret/i, 'no TOTP secret: the console enrols at the first sign-in')
  const member = await inDatabase(async ({ staff, trail }) => {
    const found = await staff.findByEmail(email)
    t.equal(found?.mustChangePassword, true)
    t.equal(found?.totpEnrolled, false)
    t.ok(await (await createArgon2PasswordHasher()).verify(found!.passwordHash, String(added.oneTimePassword)))
    t.same(await trail(found!.id), [{ action: 'staff.added', actor: 'system' }])
    return found!
  })
  t.match(outcome(t, await cli(['staff', 'add', '--email', email, '--role', 'reviewer']), EXIT.refused), {
    event: 'staff.refused',
    problems: { email: ['email_taken'] },
    message: 'a staff member with this email already exists'
  })

  const listed = outcome(t, await cli(['staff', 'list']), EXIT.ok)
  t.equal(listed.event, 'staff.listed')
  t.same(listed.staff, [{
    email,
    role: 'admin',
    disabled: false,
    secondFactor: 'enrols_at_next_sign_in',
    mustChangePassword: true,
    createdAt: member.createdAt.toISOString()
  }])

  let session = await signedIn(member.id)
  t.match(outcome(t, await cli(['staff', 'disable', '--email', email]), EXIT.ok), {
    event: 'staff.disabled', email, sessions: 'ended'
  })
  t.notOk(await live(session), 'disabling ended the console session')
  t.equal((await inDatabase(({ staff }) => staff.findById(member.id)))?.disabled, true)
  t.match(outcome(t, await cli(['staff', 'enable', '--email', email]), EXIT.ok), { event: 'staff.enabled', email })
  t.equal((await inDatabase(({ staff }) => staff.findById(member.id)))?.disabled, false)

  session = await signedIn(member.id)
  t.match(outcome(t, await cli(['staff', 'reset-second-factor', '--email', email]), EXIT.ok), {
    event: 'staff.second_factor_reset', email, sessions: 'ended'
  })
  t.notOk(await live(session), 'the reset ended the console session')
  t.not((await inDatabase(({ staff }) => staff.findById(member.id)))?.totpSecret, member.totpSecret, 'a new secret')

  session = await signedIn(member.id)
  const reset = outcome(t, await cli(['staff', 'reset-password', '--email', email]), EXIT.ok)
  t.match(reset, {
    event: 'staff.password_reset',
    email,
    oneTimePassword: /^[A-Za-z0-9_-]{24}$/,
    mustChangePassword: true,
    sessions: 'ended'
  })
  t.notOk(await live(session), 'the password reset ended the console session')
  await inDatabase(async ({ staff, trail }) => {
    const after = await staff.findById(member.id)
    t.equal(after?.mustChangePassword, true)
    const hasher = await createArgon2PasswordHasher()
    t.ok(await hasher.verify(after!.passwordHash, String(reset.oneTimePassword)), 'the printed password signs in')
    t.notOk(await hasher.verify(after!.passwordHash, String(added.oneTimePassword)), 'the earlier one no longer')
    t.same((await trail(member.id)).map(entry => `${entry.action}/${entry.actor}`).sort(), [
      'staff.added/system',
      'staff.disabled/system',
      'staff.enabled/system',
      'staff.password_reset/system',
      'staff.second_factor_reset/system'
    ])
  })
})

t.test('an unknown member: exit 67 for every command that names one', { skip }, async t => {
  const email = `nobody-${uniqueSuffix()}@example.com`
  for (const command of ['reset-password', 'reset-second-factor', 'disable', 'enable']) {
    t.match(outcome(t, await cli(['staff', command, '--email', email]), EXIT.notFound), {
      event: 'staff.not_found', email
    })
  }
})

t.test('configuration: what a command uses is checked, and only that (exit 78)', { skip }, async t => {
  const withoutRedis = { NODE_ENV: 'production', DATABASE_URL: url }
  t.match(outcome(t, await cli(['staff', 'disable', '--email', 'a@example.com'], withoutRedis), EXIT.config), {
    event: 'config.invalid', problems: [/^REDIS_URL is required when NODE_ENV=production/]
  })
  t.match(outcome(t, await cli(['staff', 'list'], { NODE_ENV: 'production' }), EXIT.config), {
    event: 'config.invalid', problems: [/^DATABASE_URL is required/]
  })
  t.match(outcome(t, await cli(['staff', 'list'], { ...withoutRedis, DATABASE_URL: 'mysql://db/auth' }), EXIT.config), {
    event: 'config.invalid', problems: ['DATABASE_URL must be a postgres: or postgresql: URL']
  })
  // Listing needs no Redis, and nothing of the service's SMS, mail, storage or token settings.
  t.equal((await cli(['staff', 'list'], withoutRedis)).code, EXIT.ok)
})

t.test('stores that do not answer: exit 69 (78 if misconfigured), naming which and why, never a password', { skip },
  async t => {
    const down = 'postgres://auth:hunter2-secret@127.0.0.1:1/auth'
    const database = outcome(t, await cli(['staff', 'list'], { ...env, DATABASE_URL: down }), EXIT.unavailable)
    t.match(database, {
      event: 'database.unreachable',
      store: 'postgres',
      host: '127.0.0.1',
      port: '1',
      user: 'auth',
      cause: { code: 'ECONNREFUSED' }
    })
    t.notMatch(JSON.stringify(database), /hunter2/)
    t.match(database.hint, /PostgreSQL refused the connection/)
    // A server that answers but has no such database: the configuration is wrong (78), with a hint.
    const missing = new URL(url)
    missing.pathname = '/no_such_database'
    t.match(outcome(t, await cli(['staff', 'list'], { ...env, DATABASE_URL: missing.toString() }), EXIT.config), {
      event: 'database.unreachable', database: 'no_such_database', cause: { code: '3D000' }, hint: /createdb/
    })
    const redis = outcome(t, await cli(['staff', 'disable', '--email', 'a@example.com'], {
      ...env,
      REDIS_URL: 'redis://127.0.0.1:1'
    }), EXIT.unavailable)
    t.match(redis, { event: 'redis.unreachable', cause: { code: 'ECONNREFUSED' } })
  }
)
