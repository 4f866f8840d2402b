import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { RejectionReasonCatalog } from '../../src/application/ports/records/rejection-reasons.js'

/** What the reject form and the reasons' admin page rely on, for every adapter. */
export function rejectionReasonsContract (t: Test, make: (t: Test) => Promise<RejectionReasonCatalog>): void {
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds))

  t.test('added reasons list oldest first, with both texts; find answers one', async (t) => {
    const reasons = await make(t)
    const [first, second] = [randomUUID(), randomUUID()]
    await reasons.add({ id: second, ko: '사진이 흐립니다', en: 'The photo is blurred', createdAt: at(2) })
    await reasons.add({ id: first, ko: '신분증이 아닙니다', en: 'Not an ID', createdAt: at(1) })
    t.same(
      (await reasons.list()).map(reason => [reason.id, reason.ko, reason.en, reason.retiredAt]),
      [[first, '신분증이 아닙니다', 'Not an ID', null], [second, '사진이 흐립니다', 'The photo is blurred', null]]
    )
    t.same((await reasons.find(second))?.createdAt, at(2))
    t.equal(await reasons.find(randomUUID()), null)
  })

  t.test('change and retire a reason; neither finds a reason that is not there', async (t) => {
    const reasons = await make(t)
    const id = randomUUID()
    await reasons.add({ id, ko: '가', en: 'a', createdAt: at(1) })
    t.equal(await reasons.change(id, { ko: '나', en: 'b' }), true)
    t.match(await reasons.find(id), { ko: '나', en: 'b', retiredAt: null })
    t.equal(await reasons.retire(id, at(5)), true)
    t.same((await reasons.find(id))?.retiredAt, at(5), 'retired, still there')
    t.equal(await reasons.retire(id, null), true)
    t.equal((await reasons.find(id))?.retiredAt, null, 'back in use')
    t.equal(await reasons.change(randomUUID(), { ko: '다', en: 'c' }), false)
    t.equal(await reasons.retire(randomUUID(), at(6)), false)
    t.equal((await reasons.list()).length, 1, 'nothing was added by a miss')
  })
}
