import { randomBytes } from 'node:crypto'
import { parseEmail } from '../../domain/email.js'
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../../domain/errors.js'
import type { StaffMember } from '../../domain/staff.js'
import type { ActingOperator } from '../../application/staff/staff-admin.js'
import { ConfigError } from '../config/config-error.js'
import { loadStaffCommandConfig, type StaffCommandConfig } from '../config/staff-command-config.js'
import { askRunningService } from '../local-storage/staff-inbox.js'
import { DataDirLockedError } from '../local-storage/data-dir-lock.js'
import { StoreUnreachableError, hintFor, reasonOf } from '../startup-failure.js'
import { EXIT, MISCONFIGURED, type CommandOutcome } from './command-outcome.js'
import { readStaffArguments, STAFF_USAGE, type StaffArguments } from './staff-arguments.js'
import { openStaffTools, RedisUnreachableError, type SessionReach, type StaffTools } from './staff-tools.js'
import { configInvalid, usage } from './usage.js'

/** The command line acts as the system, from no address: the trail says the operator did it. */
const OPERATOR: ActingOperator = { actor: { kind: 'system' }, address: null }

/** The commands that end the member's console sessions, and so need Redis in production. */
const ENDING_SESSIONS = new Set(['reset-password', 'reset-second-factor', 'disable'])

/** 18 random bytes, 24 characters of base64url: as long as a console reset's one-time password. */
const generatedPassword = (): string => randomBytes(18).toString('base64url')

const FIRST_SIGN_IN = 'sign in at /console/: the console shows the authenticator QR code at the first sign-in'

/**
 * `staff add | reset-password | reset-second-factor | disable | enable | list`, through the same
 * use-cases as the console. Every outcome is one line (command-outcome.ts).
 */
export async function runStaffCommand (
  args: string[],
  env: Record<string, string | undefined>
): Promise<CommandOutcome> {
  const parsed = readStaffArguments(args)
  if ('problem' in parsed) return usage(parsed.problem, STAFF_USAGE)
  let config: StaffCommandConfig
  try {
    config = loadStaffCommandConfig(env, { endsSessions: ENDING_SESSIONS.has(parsed.command) })
  } catch (error) {
    if (error instanceof ConfigError) return configInvalid(error)
    throw error
  }
  try {
    const tools = await openStaffTools(config, { endsSessions: ENDING_SESSIONS.has(parsed.command) })
    if (tools instanceof DataDirLockedError) {
      return parsed.command === 'add' ? await addThroughService(config, parsed) : heldByService(tools)
    }
    try {
      return await run(parsed, tools)
    } finally {
      await tools.close()
    }
  } catch (error) {
    return failed(error)
  }
}

async function run (parsed: StaffArguments, tools: StaffTools): Promise<CommandOutcome> {
  if (parsed.command === 'list') {
    const staff = await tools.admin.list()
    return { code: EXIT.ok, line: { event: 'staff.listed', count: staff.length, staff: staff.map(describe) } }
  }
  if (parsed.command === 'add') {
    const oneTimePassword = parsed.password === null ? generatedPassword() : null
    const addStaff = await tools.addStaff()
    const { member } = await addStaff(
      {
        email: parsed.email,
        role: parsed.role,
        password: parsed.password ?? oneTimePassword!,
        mustChangePassword: oneTimePassword !== null
      },
      OPERATOR.actor
    )
    return added(member.email, member.role, oneTimePassword)
  }
  const member = await findByEmail(tools, parsed.email)
  if (member === null) return { code: EXIT.notFound, line: { event: 'staff.not_found', email: parsed.email } }
  const done = (event: string, extra: Record<string, unknown> = {}): CommandOutcome => ({
    code: EXIT.ok,
    line: { event, email: member.email, ...extra }
  })
  switch (parsed.command) {
    case 'disable':
      await tools.admin.setDisabled(OPERATOR, member.id, true)
      return done('staff.disabled', sessionFacts(tools.sessions))
    case 'enable':
      await tools.admin.setDisabled(OPERATOR, member.id, false)
      return done('staff.enabled')
    case 'reset-second-factor':
      await tools.admin.resetSecondFactor(OPERATOR, member.id)
      return done('staff.second_factor_reset', {
        ...sessionFacts(tools.sessions),
        hint: 'the console shows a new authenticator QR code at the next sign-in'
      })
    case 'reset-password': {
      const resetPassword = await tools.resetPassword()
      const { oneTimePassword } = await resetPassword(OPERATOR, member.id)
      return done('staff.password_reset', {
        oneTimePassword,
        mustChangePassword: true,
        ...sessionFacts(tools.sessions),
        hint: 'sign in at /console/ with this password: the console asks for a new one at once'
      })
    }
  }
}

/** An email as typed, normalised as the console's sign-in does; a malformed one names nobody. */
async function findByEmail (tools: StaffTools, email: string): Promise<StaffMember | null> {
  let normalised: string
  try {
    normalised = parseEmail(email)
  } catch {
    return null
  }
  return await tools.staff.findByEmail(normalised)
}

/** What `staff list` shows of a member: never the password hash or the TOTP secret. */
function describe (member: StaffMember) {
  return {
    email: member.email,
    role: member.role,
    disabled: member.disabled,
    secondFactor: member.totpEnrolled ? 'enrolled' : 'enrols_at_next_sign_in',
    mustChangePassword: member.mustChangePassword,
    createdAt: member.createdAt.toISOString()
  }
}

function sessionFacts (reach: SessionReach): Record<string, string> {
  if (reach === 'redis') return { sessions: 'ended' }
  if (reach === 'none') return { sessions: 'none' }
  return {
    sessions: 'not_reachable',
    sessionsHint: 'without REDIS_URL a running service keeps console sessions in its memory: restart it to end them'
  }
}

/**
 * The one-time password is printed (the operator hands it over; it is changed at the first sign-in)
 * and the TOTP secret is not: the console shows the QR code at the first sign-in, so the secret
 * never reaches a terminal's scroll-back or a Job's log.
 */
function added (email: string, role: string, oneTimePassword: string | null): CommandOutcome {
  return {
    code: EXIT.ok,
    line: {
      event: 'staff.added',
      email,
      role,
      // Generated: to be changed at the first sign-in. Given (--password): the operator's choice, kept.
      ...(oneTimePassword === null ? { mustChangePassword: false } : { oneTimePassword, mustChangePassword: true }),
      hint: FIRST_SIGN_IN
    }
  }
}

/** The service holds the embedded database: it adds the member, from a request in DATA_DIR. */
async function addThroughService (
  config: StaffCommandConfig,
  parsed: Extract<StaffArguments, { command: 'add' }>
): Promise<CommandOutcome> {
  const oneTimePassword = parsed.password === null ? generatedPassword() : null
  const answer = await askRunningService(config.dataDir, {
    email: parsed.email,
    role: parsed.role,
    password: parsed.password ?? oneTimePassword!,
    mustChangePassword: oneTimePassword !== null
  }, config.inboxWaitMs)
  if (answer === null) {
    return {
      code: EXIT.tryAgain,
      line: {
        event: 'data_dir.locked',
        dataDir: config.dataDir,
        hint: 'the embedded database is open in another process that did not answer in time (a service still ' +
          'starting, or another command at work): try again'
      }
    }
  }
  if (answer.ok) return added(answer.email, answer.role, oneTimePassword)
  if (answer.problems !== null) return refused(new ValidationError(answer.problems as never))
  return { code: EXIT.failed, line: { event: 'command.failed', cause: { code: answer.message ?? 'unknown' } } }
}

function heldByService (error: DataDirLockedError): CommandOutcome {
  return {
    code: EXIT.tryAgain,
    line: {
      event: 'data_dir.locked',
      dataDir: error.dataDir,
      pid: error.pid,
      hint: 'a running service holds the embedded database: stop it and run the command again, ' +
        'or do this in the console (/console/staff)'
    }
  }
}

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

function refused (error: ValidationError): CommandOutcome {
  const messages = Object.entries(error.fields).flatMap(([field, issues]) =>
    issues.map(issue => TEXTS[`${field}:${String(issue)}`] ?? `--${field}: ${String(issue)}`))
  return { code: EXIT.refused, line: { event: 'staff.refused', problems: error.fields, message: messages.join('; ') } }
}

function failed (error: unknown): CommandOutcome {
  if (error instanceof ValidationError) return refused(error)
  if (error instanceof NotFoundError) return { code: EXIT.notFound, line: { event: 'staff.not_found' } }
  if (error instanceof StoreUnreachableError) {
    const hint = hintFor(error.reason.code, error.store)
    return {
      // It answered, but the settings are wrong (a password, a database name, DATA_DIR): fix the
      // configuration (78), as `migrate` answers; otherwise worth retrying once it is back (69).
      code: MISCONFIGURED.has(error.reason.code) ? EXIT.config : EXIT.unavailable,
      line: {
        event: 'database.unreachable',
        store: error.store,
        ...error.target,
        cause: error.reason,
        ...(hint === undefined ? {} : { hint })
      }
    }
  }
  if (error instanceof RedisUnreachableError || error instanceof ServiceUnavailableError) {
    return {
      code: EXIT.unavailable,
      line: {
        event: 'redis.unreachable',
        cause: error instanceof RedisUnreachableError ? error.reason : reasonOf(error)
      }
    }
  }
  return { code: EXIT.failed, line: { event: 'command.failed', cause: reasonOf(error) } }
}
