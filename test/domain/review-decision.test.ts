import t from 'tap'
import { decideStatus, sameDecisionState } from '../../src/domain/review-decision.js'

const first = new Date('2026-05-01T10:00:00.123Z')
const later = new Date('2026-05-03T08:30:00.456Z')

t.test('a pending member approved or rejected is stamped with the instant of the decision', async t => {
  const pending = { status: 'pending' as const, decidedAt: null }
  t.same(decideStatus(pending, 'approved', null, first), {
    status: 'approved',
    rejectionReason: null,
    decidedAt: first
  })
  t.same(decideStatus(pending, 'rejected', 'blurry', first), {
    status: 'rejected',
    rejectionReason: 'blurry',
    decidedAt: first
  })
})

t.test('a repeated decision keeps its first stamp', async t => {
  const approved = { status: 'approved' as const, decidedAt: first }
  t.same(decideStatus(approved, 'approved', null, later).decidedAt, first, 'approved again')
  const rejected = { status: 'rejected' as const, decidedAt: first }
  const again = decideStatus(rejected, 'rejected', 'a second reason', later)
  t.same(again.decidedAt, first, 'rejected again')
  t.equal(again.rejectionReason, 'a second reason', 'the reason is the new one')
})

t.test('a changed decision is a new decision: a new stamp', async t => {
  t.same(decideStatus({ status: 'approved', decidedAt: first }, 'rejected', 'no', later).decidedAt, later)
  t.same(decideStatus({ status: 'rejected', decidedAt: first }, 'approved', null, later), {
    status: 'approved',
    rejectionReason: null,
    decidedAt: later
  }, 're-approval clears the reason')
})

t.test('a decided member without a stamp is stamped by the next decision', async t => {
  t.same(decideStatus({ status: 'approved', decidedAt: null }, 'approved', null, later).decidedAt, later)
})

t.test('back to pending: undecided, whatever came before', async t => {
  for (const current of [
    { status: 'approved' as const, decidedAt: first },
    { status: 'rejected' as const, decidedAt: first },
    { status: 'pending' as const, decidedAt: null }
  ]) {
    t.same(decideStatus(current, 'pending', null, later), { status: 'pending', rejectionReason: null, decidedAt: null })
  }
})

t.test('the decision state compares status and stamp to the millisecond', async t => {
  t.ok(sameDecisionState({ status: 'approved', decidedAt: first }, { status: 'approved', decidedAt: new Date(first) }))
  t.notOk(sameDecisionState({ status: 'approved', decidedAt: first }, { status: 'rejected', decidedAt: first }))
  t.notOk(sameDecisionState({ status: 'approved', decidedAt: first }, { status: 'approved', decidedAt: later }))
  t.notOk(sameDecisionState({ status: 'approved', decidedAt: first }, { status: 'approved', decidedAt: null }))
  t.ok(sameDecisionState({ status: 'pending', decidedAt: null }, { status: 'pending', decidedAt: null }))
})
