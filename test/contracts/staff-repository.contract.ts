import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError } from '../../src/domain/errors.js'
import type { NewStaffMember } from '../../src/domain/staff.js'
import type { StaffRepository } from '../../src/application/ports/records/staff-repository.js'
import { uniqueSuffix } from '../helpers/services.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function newStaff (overrides: Partial<NewStaffMember> = {}): NewStaffMember {
  return {
    email: `staff-${uniqueSuffix()}@example.com`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    role: 'reviewer',
    totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    createdAt: new Date('2026-03-01T09:00:00.000Z'),
    ...overrides
  }
}

/** What the promise rejects with, or undefined if it resolves. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

/** One contract for every StaffRepository adapter: memory, PGlite, PostgreSQL. */
export function staffRepositoryContract (t: Test, make: (t: Test) => Promise<StaffRepository>): void {
  t.test('creates a staff member, not enrolled and enabled, found by id and by email', async (t) => {
    const staff = await make(t)
    const input = newStaff({ role: 'admin' })
    const created = await staff.create(input)
    t.match(created.id, UUID)
    t.same(created, { ...input, id: created.id, totpEnrolled: false, disabled: false, mustChangePassword: false })
    t.same(await staff.findById(created.id), created)
    t.same(await staff.findById(created.id.toUpperCase()), created, 'ids are uuids: case does not matter')
    t.same(await staff.findByEmail(input.email), created)
    t.equal(await staff.findById(randomUUID()), null)
    t.equal(await staff.findById('not-a-uuid'), null)
    t.equal(await staff.findByEmail('nobody@example.com'), null)
  })

  t.test('an email is taken once: DuplicateValueError, also with ten creates at once', async (t) => {
    const staff = await make(t)
    const first = await staff.create(newStaff())
    const error = await rejection(staff.create(newStaff({ email: first.email })))
    t.ok(error instanceof DuplicateValueError, 'DuplicateValueError')
    t.equal((error as DuplicateValueError).field, 'email')

    const email = `race-${uniqueSuffix()}@example.com`
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => staff.create(newStaff({ email }))))
    t.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
    for (const result of results) if (result.status === 'rejected') t.ok(result.reason instanceof DuplicateValueError)
    t.equal((await staff.list()).filter((member) => member.email === email).length, 1)
  })

  t.test('list: everyone, disabled too, oldest first, ties by id', async (t) => {
    const staff = await make(t)
    const later = await staff.create(newStaff({ createdAt: new Date('2026-03-02T00:00:00.000Z') }))
    const tied = await Promise.all(
      [1, 2, 3].map(() => staff.create(newStaff({ createdAt: new Date('2026-03-01T00:00:00.000Z') })))
    )
    const earliest = await staff.create(newStaff({ createdAt: new Date('2026-02-01T00:00:00.000Z') }))
    await staff.setDisabled(earliest.id, true)
    const listed = (await staff.list()).map((member) => member.id)
    t.same(listed, [earliest.id, ...tied.map((member) => member.id).sort(), later.id])
  })

  t.test('disable and enable', async (t) => {
    const staff = await make(t)
    const member = await staff.create(newStaff())
    t.equal(await staff.setDisabled(member.id, true), true)
    t.equal((await staff.findById(member.id))?.disabled, true)
    t.equal((await staff.findByEmail(member.email))?.disabled, true)
    t.equal(await staff.setDisabled(member.id, false), true)
    t.equal((await staff.findById(member.id))?.disabled, false)
    t.equal(await staff.setDisabled(randomUUID(), true), false)
    t.equal(await staff.setDisabled('not-a-uuid', true), false)
  })

  t.test('enrolment is confirmed once a code worked; a new password replaces the hash', async (t) => {
    const staff = await make(t)
    const member = await staff.create(newStaff())
    t.equal(await staff.confirmEnrolment(member.id), true)
    t.equal((await staff.findById(member.id))?.totpEnrolled, true)
    t.equal(await staff.setPassword(member.id, 'new-hash', false), true)
    t.equal((await staff.findById(member.id))?.passwordHash, 'new-hash')
    t.equal(await staff.confirmEnrolment(randomUUID()), false)
    t.equal(await staff.setPassword(randomUUID(), 'x', false), false)
    t.equal(await staff.setPassword('not-a-uuid', 'x', true), false)
  })

  t.test('a one-time password must be changed: set with the hash, cleared by the next one chosen', async (t) => {
    const staff = await make(t)
    const member = await staff.create(newStaff())
    const other = await staff.create(newStaff())
    t.equal(await staff.setPassword(member.id, 'one-time-hash', true), true)
    let found = await staff.findById(member.id)
    t.equal(found?.passwordHash, 'one-time-hash')
    t.equal(found?.mustChangePassword, true)
    t.equal((await staff.findByEmail(member.email))?.mustChangePassword, true)
    t.equal((await staff.list()).find((listed) => listed.id === member.id)?.mustChangePassword, true)
    t.equal((await staff.findById(other.id))?.mustChangePassword, false, 'only that member')
    t.equal(await staff.setPassword(member.id, 'chosen-hash', false), true)
    found = await staff.findById(member.id)
    t.equal(found?.passwordHash, 'chosen-hash')
    t.equal(found?.mustChangePassword, false)

    const generated = await staff.create(newStaff({ mustChangePassword: true }))
    t.equal(generated.mustChangePassword, true, 'created with a generated password')
    t.equal((await staff.findById(generated.id))?.mustChangePassword, true)
  })

  t.test('a TOTP step is accepted once and only forward, per staff member', async (t) => {
    const staff = await make(t)
    const [alice, bob] = [await staff.create(newStaff()), await staff.create(newStaff())]
    t.equal(await staff.useTotpStep(alice.id, 59_000_000), true)
    t.equal(await staff.useTotpStep(alice.id, 59_000_000), false, 'the same code again is a replay')
    t.equal(await staff.useTotpStep(alice.id, 58_999_999), false, 'an older step after a newer one')
    t.equal(await staff.useTotpStep(bob.id, 59_000_000), true, 'each member has their own last step')
    t.equal(await staff.useTotpStep(alice.id, 59_000_001), true)
    t.equal(await staff.useTotpStep(randomUUID(), 59_000_002), false)
    t.equal(await staff.useTotpStep('not-a-uuid', 59_000_002), false)
  })

  t.test('twenty parallel uses of one step: exactly one is accepted', async (t) => {
    const staff = await make(t)
    const member = await staff.create(newStaff())
    const results = await Promise.all(Array.from({ length: 20 }, () => staff.useTotpStep(member.id, 61_234_567)))
    t.equal(results.filter(Boolean).length, 1)
  })

  t.test('resetting the second factor: a new secret, not enrolled, and the last step forgotten', async (t) => {
    const staff = await make(t)
    const member = await staff.create(newStaff())
    await staff.confirmEnrolment(member.id)
    t.equal(await staff.useTotpStep(member.id, 70_000_000), true)
    t.equal(await staff.resetSecondFactor(member.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), true)
    const reset = await staff.findById(member.id)
    t.equal(reset?.totpSecret, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    t.equal(reset?.totpEnrolled, false)
    t.equal(await staff.useTotpStep(member.id, 70_000_000), true, 'a step of the new secret counts from nothing')
    t.equal(await staff.resetSecondFactor(randomUUID(), 'JBSWY3DPEHPK3PXP'), false)
  })

  t.test('callers cannot change stored staff through the objects they get', async (t) => {
    const staff = await make(t)
    const created = await staff.create(newStaff())
    created.role = 'admin'
    created.createdAt.setTime(0)
    const found = await staff.findById(created.id)
    t.equal(found?.role, 'reviewer')
    t.equal(found?.createdAt.toISOString(), '2026-03-01T09:00:00.000Z')
  })
}
