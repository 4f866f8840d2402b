import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { makeAddStaff } from './application/staff/add-staff.js'
import { makeRecordAudit } from './application/audit/record-audit.js'
import { createArgon2PasswordHasher } from './adapters/argon2/argon2-password-hasher.js'
import { ConfigError, loadConfig, type Config } from './adapters/config/load-config.js'
import type { DatabaseHandle } from './adapters/drizzle/database.js'
import { createOtpauthTotpAuthenticator } from './adapters/system/otpauth-totp-authenticator.js'
import { randomIds } from './adapters/system/random-ids.js'
import { askRunningService } from './adapters/local-storage/staff-inbox.js'
import { DataDirLockedError, takeDataDirLock, type DataDirLock } from './adapters/local-storage/data-dir-lock.js'
import { systemClock } from './adapters/system/system-clock.js'
import { ValidationError } from './domain/errors.js'

// `npm run staff:add -- --email E --role admin|reviewer [--password P]`: the only way to the first
// staff account (there is no default one). Prints the sign-in facts once; exits 1 with one line.
const USAGE = 'usage: npm run staff:add -- --email E --role admin|reviewer [--password P]'

/** A refusal the operator can fix; its message is the whole output. */
class Refusal extends Error {}

const TEXTS: Record<string, string> = {
  'email:email_taken': 'a staff member with this email already exists',
  'email:invalid_email': '--email is not an email address',
  'email:lookalike_email':
    '--email mixes scripts or has letters that look like other ones (it could pass for another address)',
  'email:blank': '--email is empty',
  'email:too_long': '--email is too long',
  'role:invalid_choice': '--role must be admin or reviewer',
  'password:password_too_short': '--password must be at least 8 characters'
}

function readArguments (argv: string[]): { email: string, role: string, password: string | null } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
      strict: true
    })
    if (values.email === undefined || values.role === undefined) throw new Refusal(USAGE)
    return { email: values.email, role: values.role, password: values.password ?? null }
  } catch (error) {
    throw error instanceof Refusal ? error : new Refusal(`${(error as Error).message}; ${USAGE}`)
  }
}

/** A DataDirLockedError: the embedded database is the running service's, which must do the work. */
async function openDatabase (config: Config): Promise<DatabaseHandle | DataDirLockedError> {
  // Loaded only now: a mistyped argument is answered before the database code loads.
  const { connectPostgres, openPglite } = await import('./adapters/drizzle/database.js')
  if (config.database.url !== null) {
    return connectPostgres({
      url: config.database.url,
      poolSize: 2,
      connectTimeoutSeconds: config.database.connectTimeoutSeconds
    })
  }
  // The embedded database is one process's: a second one writing the same files loses data. The
  // service holds DATA_DIR's lock while it runs; when none does, this command holds it meanwhile,
  // so a service started in the meantime refuses to start rather than open the same files.
  let lock: DataDirLock
  try {
    lock = await takeDataDirLock(config.dataDir)
  } catch (error) {
    if (error instanceof DataDirLockedError) return error
    throw error
  }
  try {
    const database = await openPglite(join(config.dataDir, 'pglite'))
    return { ...database, close: async () => { await database.close(); await lock.release() } }
  } catch (error) {
    await lock.release()
    throw error
  }
}

function printAdded (
  added: { email: string, role: string, totpSecret: string, totpUri: string },
  oneTimePassword: string | null
): void {
  process.stdout.write(
    [
      'staff member added',
      `email: ${added.email}`,
      `role: ${added.role}`,
      ...(oneTimePassword === null ? [] : [`one-time password: ${oneTimePassword}`]),
      `totp secret: ${added.totpSecret}`,
      `totp uri: ${added.totpUri}`,
      'These are shown only now. The console shows the QR code at the first sign-in.',
      ''
    ].join('\n')
  )
}

try {
  const args = readArguments(process.argv.slice(2))
  const config = loadConfig(process.env)
  // A generated password: 18 random bytes, 24 characters of base64url.
  const oneTimePassword = args.password === null ? randomBytes(18).toString('base64url') : null
  const database = await openDatabase(config)
  if (database instanceof DataDirLockedError) {
    // The service holds the embedded database: it adds the member, from a request in DATA_DIR.
    const answer = await askRunningService(config.dataDir, {
      email: args.email,
      role: args.role,
      password: args.password ?? oneTimePassword!
    })
    if (answer === null) {
      throw new Refusal(
        `the embedded database in ${config.dataDir} is open in another ` +
          `process${database.pid === null ? '' : ` (pid ${database.pid})`} that did not answer in time (a service ` +
          'still starting, or another staff:add or db:migrate at work): try again'
      )
    }
    if (!answer.ok) {
      throw answer.problems === null
        ? new Refusal(`failed: ${answer.message ?? 'unknown'}`)
        : new ValidationError(answer.problems as never)
    }
    printAdded(answer, oneTimePassword)
  } else {
    try {
      await database.migrate()
      const ids = randomIds
      const { createDatabasePorts } = await import('./adapters/drizzle/database-ports.js')
      const stored = createDatabasePorts(database.db, ids, {})
      const addStaff = makeAddStaff({
        staff: stored.staff,
        hasher: await createArgon2PasswordHasher(config.argon2),
        totp: createOtpauthTotpAuthenticator(),
        clock: systemClock,
        recordAudit: makeRecordAudit({ audit: stored.audit, clock: systemClock })
      })
      const { member, totpUri } = await addStaff(
        { email: args.email, role: args.role, password: args.password ?? oneTimePassword! },
        { kind: 'system' }
      )
      printAdded({ email: member.email, role: member.role, totpSecret: member.totpSecret, totpUri }, oneTimePassword)
    } finally {
      await database.close()
    }
  }
} catch (error) {
  process.stderr.write(`staff:add: ${describe(error)}\n`)
  process.exitCode = 1
}

function describe (error: unknown): string {
  if (error instanceof Refusal) return error.message
  if (error instanceof ConfigError) return `invalid configuration: ${error.problems.join('; ')}`
  if (error instanceof ValidationError) {
    return Object.entries(error.fields)
      .flatMap(([field, issues]) => issues.map(issue => TEXTS[`${field}:${issue}`] ?? `--${field}: ${issue}`))
      .join('; ')
  }
  return `failed: ${(error as Error).message}`
}
