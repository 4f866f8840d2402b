import type { Test } from 'tap'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleAuditLog } from '../../src/adapters/drizzle/drizzle-audit-log.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { runToExit, type Run } from './run-to-exit.js'

// What the `staff add` tests run and check, on every kind of database.

/** The command as operators run it: `node dist/cli.js staff add ...` (the source through tsx when run alone). */
export const staffAdd = (env: Record<string, string>, args: string[]): Promise<Run> =>
  runToExit('cli', ['staff', 'add', ...args], env)

/** The one JSON line a run printed on `stream`, parsed; fails the test when it is not exactly one object. */
export function lineOf (t: Test, text: string): Record<string, unknown> {
  const lines = text.trimEnd().split('\n')
  t.equal(lines.length, 1, `one line: ${text}`)
  const line = JSON.parse(lines[0]!) as Record<string, unknown>
  t.match(line, { time: /^\d{4}-\d\d-\d\dT/, event: String })
  return line
}

/** What every database kind must show: the account as printed, the password working, the entry in the trail. */
export async function checkCreated (
  t: Test,
  run: Run,
  open: () => Promise<DatabaseHandle>,
  expected: { email: string, role: string, password?: string }
): Promise<void> {
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stderr, '')
  const printed = lineOf(t, run.stdout)
  t.equal(printed.event, 'staff.added')
  t.equal(printed.email, expected.email)
  t.equal(printed.role, expected.role)
  const password = expected.password ?? String(printed.oneTimePassword)
  if (expected.password === undefined) {
    t.match(printed.oneTimePassword, /^[A-Za-z0-9_-]{16,}$/, 'a generated password of 16 characters or more')
    t.equal(printed.mustChangePassword, true, 'to be changed at the first sign-in')
  } else {
    t.notOk('oneTimePassword' in printed, 'a given password is not printed')
    t.equal(printed.mustChangePassword, false)
  }
  t.notMatch(run.stdout, /totp|otpauth|secret/i, 'no TOTP secret printed: the console shows the QR code')

  const handle = await open()
  try {
    const member = await createDrizzleStaffRepository(handle.db, randomIds).findByEmail(expected.email)
    t.equal(member?.role, expected.role)
    t.match(member?.totpSecret, /^[A-Z2-7]{32}$/, 'a TOTP secret is kept')
    t.notMatch(run.stdout, member?.totpSecret ?? 'none', 'and not printed')
    t.equal(member?.totpEnrolled, false, 'the console shows the QR at the first sign-in')
    t.equal(member?.disabled, false)
    t.equal(member?.mustChangePassword, expected.password === undefined)
    const hasher = await createArgon2PasswordHasher()
    t.ok(await hasher.verify(member?.passwordHash ?? null, password), 'the printed or given password signs in')
    t.notOk(member?.passwordHash.includes(password), 'stored hashed')
    const trail = await createDrizzleAuditLog(handle.db, randomIds).list({ staffId: member!.id, limit: 10 })
    t.same(
      trail.map(entry => [entry.action, entry.actor.kind, entry.detail.role]),
      [['staff.added', 'system', expected.role]]
    )
    t.notMatch(JSON.stringify(trail), password, 'no password in the trail')
  } finally {
    await handle.close()
  }
}

/** `code` with exactly one JSON line on stderr (its event and fields matching `expected`), nothing on stdout. */
export function checkRefused (t: Test, run: Run, code: number, expected: Record<string, unknown>): void {
  t.equal(run.code, code, run.stderr)
  t.equal(run.stdout, '')
  t.match(lineOf(t, run.stderr), expected)
}
