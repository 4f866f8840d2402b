import t from 'tap'
import { ValidationError } from '../../src/domain/errors.js'
import type { NewUser, PhoneNumber } from '../../src/domain/user.js'
import { makeRecordDecision } from '../../src/application/review/record-decision.js'
import { makeQueueSearch, type QueueFilters } from '../../src/application/review/review-queue.js'
import { emailUser, phoneUser } from '../contracts/user-stores-fixture.js'
import { memoryPorts } from '../helpers/build-test-app.js'

const NO_CATALOG = { interestIds: [], professionId: null }
const ANY: QueueFilters = {
  status: 'pending',
  search: null,
  signedUpFrom: null,
  signedUpBefore: null,
  duplicate: null,
  foreigner: null,
  carrier: null,
  order: null,
  page: 1,
  pageSize: 25
}

async function setUp () {
  const ports = await memoryPorts()
  const search = makeQueueSearch({ review: ports.review, phones: ports.phones, clock: ports.clock })
  const record = makeRecordDecision({ accounts: ports.accounts, review: ports.review, clock: ports.clock })
  /** Signs a member up an hour after the previous one. */
  const signUp = async (input: NewUser): Promise<NewUser> => {
    ports.clock.advance(3600_000)
    await ports.accounts.create(input)
    return input
  }
  return { ports, search, record, signUp }
}

const typed = (mobile: PhoneNumber | null): string =>
  `0${mobile!.slice(3, 5)}-${mobile!.slice(5, 9)}-${mobile!.slice(9)}`

t.test('a search: a number typed any way, or text; too long refused', async t => {
  const { search, signUp } = await setUp()
  const kim = await signUp(phoneUser(NO_CATALOG, { username: 'kimchi_lover', name: '김민수' }))
  const mail = await signUp(emailUser({ email: 'queue.search@example.com', status: 'pending' }))
  const found = async (text: string) => {
    const page = await search({ ...ANY, search: text })
    return { ids: page.entries.map(entry => entry.id), by: page.searchedBy }
  }
  t.same(await found(typed(kim.mobile)), { ids: [kim.id], by: 'mobile' }, '010-xxxx-xxxx')
  t.same(await found(typed(kim.mobile).replaceAll('-', '')), { ids: [kim.id], by: 'mobile' }, 'digits alone')
  t.same(await found(`+82 ${typed(kim.mobile).slice(1)}`), { ids: [kim.id], by: 'mobile' }, 'international')
  t.same(await found('민수'), { ids: [kim.id], by: 'text' })
  t.same(await found('QUEUE.SEARCH'), { ids: [mail.id], by: 'text' })
  t.same(await found('  '), { ids: [kim.id, mail.id], by: null }, 'blank: no search')
  await t.rejects(search({ ...ANY, search: 'x'.repeat(101) }), ValidationError.of('search', 'too_long'))
})

t.test('entries: the number as written, the wait, the flag; orders by status; pages', async t => {
  const { ports, search, record, signUp } = await setUp()
  const first = await signUp(phoneUser(NO_CATALOG, { uniqueKey: 'same' }))
  const second = await signUp(phoneUser(NO_CATALOG, { uniqueKey: 'same', foreigner: true }))
  const third = await signUp(phoneUser(NO_CATALOG, { uniqueKey: 'alone' }))
  const decided = await signUp(phoneUser(NO_CATALOG, { uniqueKey: null }))
  ports.clock.advance(2 * 3600_000)
  await record(decided.id, 'approved', null)
  ports.clock.advance(5 * 3600_000)

  const pending = await search(ANY)
  t.same(pending.entries.map(entry => entry.id), [first.id, second.id, third.id], 'pending: oldest first')
  t.equal(pending.order, 'oldest')
  t.same(pending.entries.map(entry => entry.duplicate), [true, true, false], 'the shared key flagged')
  t.equal(pending.entries[0]!.mobile, typed(first.mobile), 'the number as written at home')
  t.same(pending.entries.map(entry => entry.waitedMs / 3600_000), [10, 9, 8], 'hours since sign-up')
  t.same(pending.counts.statuses, { pending: 3, approved: 1, rejected: 0 })

  const everyone = await search({ ...ANY, status: null })
  t.equal(everyone.order, 'newest', 'every status: newest first by default')
  t.equal(everyone.entries[0]!.id, decided.id)
  t.equal(everyone.entries[0]!.waitedMs, 2 * 3600_000, 'a decided member waited until the decision')

  const longest = await search({ ...ANY, status: null, order: 'waiting' })
  t.same(longest.entries.map(entry => entry.id), [first.id, second.id, third.id, decided.id], 'longest wait first')
  t.equal((await search({ ...ANY, order: 'waiting' })).order, 'waiting', 'the order asked is the one shown')

  const page = await search({ ...ANY, pageSize: 10, page: 1, foreigner: false })
  t.same(page.entries.map(entry => entry.id), [first.id, third.id], 'a filter')
  const second2 = await search({ ...ANY, pageSize: 10, page: 2 })
  t.same([second2.entries.length, second2.total], [0, 3], 'past the last page: nobody, the same total')
})
