import t from 'tap'
import { makeRecordAudit } from '../../src/application/audit/record-audit.js'
import { makeAbuseLimits } from '../../src/application/security/abuse-limits.js'
import type { CoreSettings } from '../../src/application/make-use-cases.js'
import { BY_OPERATOR, makeStaffPasswords } from '../../src/application/staff/staff-passwords.js'
import type { ActingStaff } from '../../src/application/staff/staff-admin.js'
import {
  InvalidCredentialsError,
  InvalidOtpError,
  NotFoundError,
  RetryLaterError,
  ValidationError
} from '../../src/domain/errors.js'
import { LIMITS_ON, TEST_SETTINGS, memoryPorts } from '../helpers/build-test-app.js'
import { addStaff, totpCode, type TestStaff } from '../helpers/console-flows.js'

const CLIENT = { address: '203.0.113.9', userAgent: 'test browser' }
const NEW_PASSWORD = 'a new staff password'
const STEP_MS = 30_000

/** The use-case over memory ports, with one reviewer and one admin, each signed in twice. */
async function setUp (limitSettings: CoreSettings['limits'] = TEST_SETTINGS.limits) {
  const ports = await memoryPorts()
  const { staff, staffSessions: sessions, hasher, totp, random, clock, audit } = ports
  const limits = makeAbuseLimits({ hits: ports.hits, known: ports.knownClients, settings: limitSettings })
  const recordAudit = makeRecordAudit({ audit, clock })
  const passwords = makeStaffPasswords({ staff, sessions, hasher, totp, random, limits, recordAudit, clock })
  const signedIn = async (member: TestStaff) =>
    Promise.all(
      [1, 2].map(() => sessions.create({ staffId: member.id, stage: 'signed_in', address: null, userAgent: null }))
    )
  const reviewer = await addStaff(ports, 'reviewer')
  const admin = await addStaff(ports, 'admin')
  const byAdmin: ActingStaff = {
    actor: { kind: 'staff', staffId: admin.id, email: admin.email },
    address: '198.51.100.7'
  }
  /** A code of a step after any used so far: the clock moves on a step first. */
  const nextCode = (member: TestStaff) => {
    ports.clock.advance(STEP_MS)
    return totpCode(member.secret, ports.clock.now())
  }
  const stored = async (member: TestStaff) => (await staff.findById(member.id))!
  const live = async (ids: string[]) =>
    (await Promise.all(ids.map(id => sessions.get(id)))).filter(session => session !== null).length
  const entries = async () =>
    (await audit.list({ limit: 100 })).map(entry => ({
      action: entry.action,
      actor: entry.actor,
      target: entry.targetStaffId,
      address: entry.address,
      detail: entry.detail
    }))
  return { ports, passwords, reviewer, admin, byAdmin, signedIn, nextCode, stored, live, entries }
}

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(() => undefined, (error: unknown) => error)
/** The TOTP time step of now, as an authenticator app counts it. */
const stepOf = (at: Date): number => Math.floor(at.getTime() / STEP_MS)

t.test('change: current password and fresh code replace it; all sessions end, this browser gets a new one', async t => {
  const { ports, passwords, reviewer, admin, signedIn, nextCode, stored, live, entries } = await setUp()
  const mine = await signedIn(reviewer)
  const theirs = await signedIn(admin)
  const fresh = await passwords.change(
    reviewer.id,
    { current: reviewer.password, next: NEW_PASSWORD, code: nextCode(reviewer) },
    CLIENT
  )
  const member = await stored(reviewer)
  t.ok(await ports.hasher.verify(member.passwordHash, NEW_PASSWORD), 'the new password is the one')
  t.notOk(await ports.hasher.verify(member.passwordHash, reviewer.password), 'the old one works no more')
  t.equal(member.mustChangePassword, false)
  t.equal(await live(mine), 0, 'every earlier session of the member ended, the one that changed it too')
  t.equal(await live(theirs), 2, "another member's sessions are untouched")
  const session = await ports.staffSessions.get(fresh)
  t.equal(session?.staffId, reviewer.id)
  t.equal(session?.stage, 'signed_in', 'the browser that changed it carries on signed in, under a new id')
  t.equal(session?.address, CLIENT.address)
  t.same(await entries(), [
    {
      action: 'staff.password_changed',
      actor: { kind: 'staff', staffId: reviewer.id, email: reviewer.email },
      target: reviewer.id,
      address: CLIENT.address,
      detail: {}
    }
  ])
})

t.test('change: a wrong current password or a wrong code changes nothing and is on the trail', async t => {
  const { ports, passwords, reviewer, signedIn, nextCode, stored, live, entries } = await setUp()
  const mine = await signedIn(reviewer)
  const before = (await stored(reviewer)).passwordHash
  const code = nextCode(reviewer)

  const wrongPassword = await rejection(
    passwords.change(reviewer.id, { current: 'not the password', next: NEW_PASSWORD, code }, CLIENT)
  )
  t.ok(wrongPassword instanceof InvalidCredentialsError, 'a wrong current password: invalid_credentials')
  const wrongCode = await rejection(
    passwords.change(reviewer.id, { current: reviewer.password, next: NEW_PASSWORD, code: '000000' }, CLIENT)
  )
  t.ok(wrongCode instanceof InvalidOtpError, 'a wrong code: invalid_otp')
  t.equal((await stored(reviewer)).passwordHash, before, 'the password is unchanged')
  t.equal(await live(mine), 2, 'no session ended')
  t.same(
    (await entries()).map(entry => `${entry.action} ${String(entry.detail.stage)} ${entry.target}`).sort(),
    [
      `staff.password_change_failed password ${reviewer.id}`,
      `staff.password_change_failed second_factor ${reviewer.id}`
    ]
  )
  t.ok(
    await ports.staff.useTotpStep(reviewer.id, stepOf(ports.clock.now())),
    'a wrong password spent no code: the step is still unused'
  )
})

t.test('change: a code already used (at sign-in) does not work twice', async t => {
  const { ports, passwords, reviewer, nextCode, stored } = await setUp()
  const code = nextCode(reviewer)
  t.ok(await ports.staff.useTotpStep(reviewer.id, stepOf(ports.clock.now())), 'signed in with it')
  const error = await rejection(
    passwords.change(reviewer.id, { current: reviewer.password, next: NEW_PASSWORD, code }, CLIENT)
  )
  t.ok(error instanceof InvalidOtpError)
  t.ok(await ports.hasher.verify((await stored(reviewer)).passwordHash, reviewer.password))
})

t.test('change: the new password follows the rule and differs from the current one, checked first', async t => {
  const { passwords, reviewer, nextCode } = await setUp()
  const code = nextCode(reviewer)
  const short = await rejection(
    passwords.change(reviewer.id, { current: reviewer.password, next: 'seven77', code }, CLIENT)
  )
  t.ok(short instanceof ValidationError)
  t.same((short as ValidationError).fields, { new_password: ['password_too_short'] })
  const same = await rejection(
    passwords.change(reviewer.id, { current: reviewer.password, next: reviewer.password, code }, CLIENT)
  )
  t.same((same as ValidationError).fields, { new_password: ['invalid'] })
  t.type(
    await passwords.change(reviewer.id, { current: reviewer.password, next: NEW_PASSWORD, code }, CLIENT),
    'string',
    'the same code still works: the refusals spent it not'
  )
})

t.test('change: wrong current passwords are guesses under the sign-in limits', async t => {
  const { passwords, reviewer, nextCode } = await setUp(LIMITS_ON)
  for (let i = 0; i < LIMITS_ON.guesses.perAddress; i++) {
    const error = await rejection(
      passwords.change(reviewer.id, { current: `wrong ${i}`, next: NEW_PASSWORD, code: '000000' }, CLIENT)
    )
    t.ok(error instanceof InvalidCredentialsError, `guess ${i + 1}`)
  }
  const stopped = await rejection(
    passwords.change(reviewer.id, { current: reviewer.password, next: NEW_PASSWORD, code: nextCode(reviewer) }, CLIENT)
  )
  t.ok(stopped instanceof RetryLaterError, 'then even the right password waits')
})

t.test('reset: a one-time password, must-change, every session of the member ended, on the trail', async t => {
  const { ports, passwords, reviewer, admin, byAdmin, signedIn, stored, live, entries } = await setUp()
  const theirs = await signedIn(reviewer)
  const mine = await signedIn(admin)
  const reset = await passwords.reset(byAdmin, reviewer.id)
  t.match(reset, { staffId: reviewer.id, email: reviewer.email })
  t.match(reset.oneTimePassword, /^[A-Za-z0-9_-]{24}$/, '24 base64url characters: 144 random bits')
  const member = await stored(reviewer)
  t.ok(await ports.hasher.verify(member.passwordHash, reset.oneTimePassword), 'the one-time password signs in')
  t.notOk(await ports.hasher.verify(member.passwordHash, reviewer.password), 'the old one no more')
  t.equal(member.mustChangePassword, true)
  t.equal(await live(theirs), 0, "the member's sessions are gone")
  t.equal(await live(mine), 2, "the admin's are not")
  t.same(await entries(), [
    { action: 'staff.password_reset', actor: byAdmin.actor, target: reviewer.id, address: byAdmin.address, detail: {} }
  ])
  const trail = JSON.stringify(await ports.audit.list({ limit: 100 }))
  t.notMatch(trail, reset.oneTimePassword, 'the trail holds no password')
  t.not((await passwords.reset(byAdmin, reviewer.id)).oneTimePassword, reset.oneTimePassword, 'each reset a new one')
})

t.test('reset by the operator at the command line: the trail names the system', async t => {
  const { passwords, admin, stored, entries } = await setUp()
  const reset = await passwords.reset(BY_OPERATOR, admin.id)
  t.equal((await stored(admin)).mustChangePassword, true, 'an admin too, from the command line')
  t.same(await entries(), [
    { action: 'staff.password_reset', actor: { kind: 'system' }, target: admin.id, address: null, detail: {} }
  ])
  t.equal(reset.email, admin.email)
})

t.test('reset: not of oneself (an admin changes their own), not of nobody', async t => {
  const { passwords, admin, byAdmin, stored, entries } = await setUp()
  const self = await rejection(passwords.reset(byAdmin, admin.id))
  t.ok(self instanceof ValidationError)
  t.same((self as ValidationError).fields, { staff: ['invalid'] })
  t.ok(await rejection(passwords.reset(byAdmin, '00000000-0000-4000-8000-000000000000')) instanceof NotFoundError)
  t.ok(await rejection(passwords.reset(byAdmin, 'not-a-uuid')) instanceof NotFoundError)
  t.equal((await stored(admin)).mustChangePassword, false)
  t.same(await entries(), [])
})

t.test('after a reset, changing the one-time password clears must-change', async t => {
  const { passwords, reviewer, byAdmin, nextCode, stored } = await setUp()
  const { oneTimePassword } = await passwords.reset(byAdmin, reviewer.id)
  const code = nextCode(reviewer)
  await passwords.change(reviewer.id, { current: oneTimePassword, next: NEW_PASSWORD, code }, CLIENT)
  t.equal((await stored(reviewer)).mustChangePassword, false)
})
