import type { Test } from 'tap'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import type { DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleAuditLog } from '../../src/adapters/drizzle/drizzle-audit-log.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { runToExit, type Run } from './run-to-exit.js'

// What the staff:add tests run and check, on every kind of database.

/** The command as operators run it, minus the build: `node --import tsx src/staff-add.ts ...`. */
export const staffAdd = (env: Record<string, string>, args: string[]): Promise<Run> => runToExit('staff-add', args, env)

/** The `label: value` lines of a successful run. */
const fields = (stdout: string): Record<string, string> =>
  Object.fromEntries(stdout.split('\n').flatMap((line) => {
    const match = /^([a-z -]+): (.+)$/.exec(line)
    return match === null ? [] : [[match[1]!, match[2]!]]
  }))

/** What every database kind must show: the account as printed, the password working, the entry in the trail. */
export async function checkCreated (
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
export function checkRefused (t: Test, run: Run, message: RegExp): void {
  t.equal(run.code, 1)
  t.equal(run.stdout, '')
  t.match(run.stderr, message)
  t.equal(run.stderr.trimEnd().split('\n').length, 1, 'one line')
}
