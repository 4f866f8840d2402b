import t from 'tap'
import type { AuditEntry } from '../../src/application/ports/records/audit-log.js'
import { makeRecordDecision } from '../../src/application/review/record-decision.js'
import { undoableDecision, UNDO_WINDOW_MS } from '../../src/application/review/undo-window.js'
import { StaleDecisionError } from '../../src/domain/errors.js'
import { decisionVersion, parseDecisionVersion } from '../../src/domain/review-decision.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { memoryPorts } from '../helpers/build-test-app.js'

t.test('a version names a review state and reads back as it', async (t) => {
  const at = new Date(Date.UTC(2026, 11, 7, 1, 2, 3, 456))
  t.equal(decisionVersion({ status: 'pending', decidedAt: null }), 'pending.none')
  t.equal(decisionVersion({ status: 'approved', decidedAt: at }), `approved.${at.getTime()}`)
  t.same(parseDecisionVersion(`rejected.${at.getTime()}`), { status: 'rejected', decidedAt: at })
  const bad = ['', 'pending', 'deleted.none', 'approved.1e9', 'approved.-1', 'pending.none ']
  bad.push(`approved.${'1'.repeat(16)}`)
  for (const text of bad) {
    t.equal(parseDecisionVersion(text), null, `${JSON.stringify(text)} is not a version`)
  }
})

t.test('recordDecision with an expected state decides on it or not at all', async (t) => {
  const ports = await memoryPorts()
  const { id } = await ports.accounts.create({
    id: ports.ids.newId(),
    email: null,
    passwordHash: null,
    mobile: '+821055501234' as PhoneNumber,
    status: 'pending',
    language: 'ko',
    profile: null,
    pushToken: null
  })
  const record = makeRecordDecision({ accounts: ports.accounts, review: ports.review, clock: ports.clock })
  const seen = { status: 'pending' as const, decidedAt: null }
  t.equal(await record(id, 'approved', null, undefined, seen), true)
  await t.rejects(record(id, 'rejected', 'late', undefined, seen), StaleDecisionError, 'the state it saw is gone')
  t.equal((await ports.accounts.findById(id))?.status, 'approved', 'nothing changed')

  // Two decisions on one state at once: exactly one lands, the other is stale.
  const now = await ports.accounts.findById(id)
  const state = { status: now!.status, decidedAt: now!.decidedAt }
  const results = await Promise.allSettled([
    record(id, 'rejected', 'one', undefined, state),
    record(id, 'rejected', 'two', undefined, state),
    record(id, 'pending', null, undefined, state)
  ])
  t.equal(results.filter(result => result.status === 'fulfilled').length, 1, 'one decision lands')
  t.ok(
    results.every(result => result.status === 'fulfilled' || result.reason instanceof StaleDecisionError),
    'the others are refused as stale'
  )
})

t.test('an undo is open to whoever decided, or an admin, for two minutes, and never on an undo', async (t) => {
  const at = new Date(Date.UTC(2026, 0, 1))
  const entry = (action: AuditEntry['action'], staffId: string, ms: number, extra: Partial<AuditEntry> = {}) => ({
    id: `${action}-${ms}`,
    at: new Date(at.getTime() + ms),
    actor: { kind: 'staff', staffId, email: `${staffId}@staff.test` },
    action,
    memberId: 'm',
    targetStaffId: null,
    address: null,
    reason: null,
    detail: {},
    ...extra
  }) as AuditEntry
  const trail = [
    entry('member.reapproved', 'ann', 60_000, { detail: { from: `rejected.${at.getTime()}` } }),
    entry('member.file_viewed', 'bob', 30_000),
    entry('member.rejected', 'bob', 0, { reason: 'Blurred', detail: { from: 'pending.none' } })
  ]
  const now = new Date(at.getTime() + 90_000)
  const mine = undoableDecision(trail, { staffId: 'ann', anyone: false }, now)
  t.match(mine, { before: { status: 'rejected' }, reason: 'Blurred', minutesLeft: 2 })
  t.equal(undoableDecision(trail, { staffId: 'bob', anyone: false }, now), null, 'not a colleague')
  t.ok(undoableDecision(trail, { staffId: 'bob', anyone: true }, now), 'an admin')
  const late = new Date(at.getTime() + 60_000 + UNDO_WINDOW_MS)
  t.equal(undoableDecision(trail, { staffId: 'ann', anyone: true }, late), null, 'past the window')
  const undone = [entry('member.decision_undone', 'ann', 70_000), ...trail]
  t.equal(undoableDecision(undone, { staffId: 'ann', anyone: true }, now), null, 'an undo is not undone')
  const old = [entry('member.approved', 'ann', 60_000)]
  t.equal(undoableDecision(old, { staffId: 'ann', anyone: true }, now), null, 'an entry without `from` cannot be')
})
