import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { decideStatus } from '../../src/domain/review-decision.js'
import { uniqueSuffix } from '../helpers/services.js'
import {
  confirmedIdentity,
  emailUser,
  phoneUser,
  recordDecisionOn,
  type MakeUserStores
} from './user-stores-fixture.js'

/**
 * One contract for every ReviewRepository adapter: memory, PGlite, PostgreSQL, and PostgreSQL behind the
 * Redis account cache.
 */
export function reviewRepositoryContract (t: Test, make: MakeUserStores): void {
  t.test('status, rejection reason and paged listing by status', async (t) => {
    const fixture = await make(t)
    const { accounts, review, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const created = []
    for (let i = 0; i < 3; i++) {
      const input = phoneUser(catalog)
      await accounts.create(input)
      created.push(input.id)
    }
    t.equal(await recordDecision(created[0]!, 'rejected', 'blurry photo'), true)
    t.equal(await recordDecision(randomUUID(), 'approved', null), false)
    const rejected = await accounts.findById(created[0]!)
    t.equal(rejected?.status, 'rejected')
    t.equal(rejected?.rejectionReason, 'blurry photo')

    const pending = await review.listByStatus('pending', 0, 10)
    t.equal(pending.total, 2)
    t.same(new Set(pending.users.map((user) => user.id)), new Set(created.slice(1)))
    const page = await review.listByStatus('pending', 1, 1)
    t.equal(page.users.length, 1)
    t.equal(page.total, 2)
    t.equal((await review.listByStatus(null, 0, 10)).total, 3)
  })

  t.test('search: text matches the username, name or email as typed, in any case, wildcards and all', async (t) => {
    const { accounts, review, catalog } = await make(t)
    const tag = uniqueSuffix()
    const byUsername = phoneUser(catalog, { username: `Dodo${tag}`, name: '손흥민' })
    const byName = phoneUser(catalog, { name: `Alice ${tag}` })
    const byEmail = emailUser({ email: `finder-${tag}@example.com` })
    const percent = phoneUser(catalog, { username: `a%b_${tag}`, name: 'Bob' })
    // What unescaped % and _ would also match:
    const lookalike = phoneUser(catalog, { username: `axbx${tag}`, name: 'Bob' })
    const backslash = phoneUser(catalog, { username: `c\\d${tag}`, name: 'Bob' })
    for (const input of [byUsername, byName, byEmail, percent, lookalike, backslash]) await accounts.create(input)
    const ids = async (text: string) =>
      (await review.search({ status: null, text, mobile: null, order: 'oldest', offset: 0, limit: 50 })).users
        .map(user => user.id)
        .sort()

    t.same(await ids(`dODO${tag}`), [byUsername.id], 'username, other case')
    t.same(await ids(`ALICE ${tag}`), [byName.id], 'name, other case')
    t.same(await ids(`FINDER-${tag}@EXAMPLE`), [byEmail.id], 'email, other case')
    t.same(await ids(`a%b_${tag}`), [percent.id], '% and _ are characters')
    t.same(await ids('%'), [percent.id], 'a lone % is not "anything"')
    t.same(await ids('_'), [percent.id], 'a lone _ is not "any character"')
    t.same(await ids(`c\\d${tag}`), [backslash.id], 'a backslash is a character')
    t.same(
      await ids(tag),
      [byUsername.id, byName.id, byEmail.id, percent.id, lookalike.id, backslash.id].sort(),
      'a substring anywhere'
    )
    t.same(await ids('흥민'), [byUsername.id], 'Hangul substring of a name')
    t.same(await ids(`nobody-${tag}`), [])
  })

  t.test('search: by mobile, by status, oldest or newest first, paged with the total', async (t) => {
    const fixture = await make(t)
    const { accounts, review, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const pending = []
    for (let i = 0; i < 3; i++) {
      const input = phoneUser(catalog)
      await accounts.create(input)
      pending.push(input)
    }
    const approved = phoneUser(catalog)
    await accounts.create(approved)
    await recordDecision(approved.id, 'approved', null)
    const query = {
      status: 'pending' as const,
      text: null,
      mobile: null,
      order: 'oldest' as const,
      offset: 0,
      limit: 10
    }
    const ids = (page: { users: Array<{ id: string }> }) => page.users.map((user) => user.id)

    const oldest = await review.search(query)
    t.same(ids(oldest), pending.map((input) => input.id), 'the review queue: oldest first')
    t.equal(oldest.total, 3)
    t.same(oldest.users[0]?.profile?.verificationFiles, pending[0]!.profile!.verificationFiles, 'with their profiles')
    t.same(ids(await review.search({ ...query, order: 'newest' })), pending.map((input) => input.id).reverse())
    const page = await review.search({ ...query, offset: 1, limit: 1 })
    t.same(ids(page), [pending[1]!.id])
    t.equal(page.total, 3, 'the total counts every match, not the page')
    t.same(ids(await review.search({ ...query, offset: 3 })), [], 'past the end')

    t.same(
      ids(await review.search({ ...query, status: null, mobile: pending[1]!.mobile })),
      [pending[1]!.id],
      'by mobile'
    )
    t.same(ids(await review.search({ ...query, mobile: approved.mobile })), [], 'mobile and status must both match')
    t.same(ids(await review.search({ ...query, status: 'approved' })), [approved.id])
    t.equal((await review.search({ ...query, status: null })).total, 4)
  })

  t.test('the accounts sharing a unique key: others only, never through a missing key', async (t) => {
    const fixture = await make(t)
    const { accounts, review, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const key = `ci-${uniqueSuffix()}`
    const [first, second, third] = [
      phoneUser(catalog, { uniqueKey: key }),
      phoneUser(catalog, { uniqueKey: key }),
      phoneUser(catalog, { uniqueKey: key })
    ]
    const other = phoneUser(catalog, { uniqueKey: `ci-${uniqueSuffix()}` })
    const [keyless, alsoKeyless] = [phoneUser(catalog, { uniqueKey: null }), phoneUser(catalog, { uniqueKey: null })]
    const emailOnly = emailUser()
    for (const input of [first, second, third, other, keyless, alsoKeyless, emailOnly]) await accounts.create(input)
    await recordDecision(third.id, 'rejected', 'two accounts')

    t.same(await review.findSharingUniqueKey(second.id), [
      { id: first.id, username: first.profile!.username, status: 'pending', confirmed: false },
      { id: third.id, username: third.profile!.username, status: 'rejected', confirmed: false }
    ], 'the others, oldest first, not the member itself')
    t.same((await review.findSharingUniqueKey(first.id)).map((holder) => holder.id), [second.id, third.id])
    t.same(await review.findSharingUniqueKey(other.id), [])
    t.same(await review.findSharingUniqueKey(keyless.id), [], 'no key: shared with nobody, not with the other keyless')
    t.same(await review.findSharingUniqueKey(emailOnly.id), [])
    t.same(await review.findSharingUniqueKey(randomUUID()), [])
  })

  t.test('confirmed identities: the search filter, its counts, the page\'s flags and the key holders', async t => {
    const fixture = await make(t)
    const { accounts, review, identities, catalog } = fixture
    const key = `ci-${uniqueSuffix()}`
    // Attached: the provider confirmed the key the account carries.
    const attached = phoneUser(catalog, { uniqueKey: key, carrier: 'KT' })
    // Confirmed at sign-up for another CI than the key its app claimed.
    const otherCi = { ...phoneUser(catalog, { uniqueKey: key, carrier: 'SK telecom' }), identity: confirmedIdentity() }
    const claimed = phoneUser(catalog, { uniqueKey: key, carrier: 'KT' })
    const emailOnly = emailUser()
    for (const input of [attached, otherCi, claimed, emailOnly]) await accounts.create(input)
    t.equal(await identities.attach(attached.id, confirmedIdentity({ ci: key }), null), true)
    await recordDecisionOn(fixture)(attached.id, 'approved', null)

    const base = { status: null, text: null, mobile: null, order: 'oldest' as const, offset: 0, limit: 50 }
    const ids = (page: { users: Array<{ id: string }> }) => page.users.map(user => user.id)
    const confirmed = await review.search({ ...base, identity: 'confirmed' })
    t.same(ids(confirmed), [attached.id, otherCi.id], 'confirmed: whoever holds one, whatever its CI')
    t.equal(confirmed.total, 2)
    t.same(confirmed.confirmedIds, [attached.id, otherCi.id])
    const unconfirmed = await review.search({ ...base, identity: 'unconfirmed' })
    t.same(ids(unconfirmed), [claimed.id, emailOnly.id])
    t.same(unconfirmed.confirmedIds, [])
    const everyone = await review.search({ ...base, identity: null })
    t.equal(everyone.total, 4)
    t.same([...everyone.confirmedIds].sort(), [attached.id, otherCi.id].sort())
    const second = await review.search({ ...base, offset: 1, limit: 2 })
    t.same(second.confirmedIds, [otherCi.id], 'the flags of the page\'s members only')

    const counts = await review.countSearch({ ...base, identity: 'confirmed' })
    t.same(counts.statuses, { pending: 1, approved: 1, rejected: 0 })
    t.same(counts.carriers, [{ carrier: 'KT', count: 1 }, { carrier: 'SK telecom', count: 1 }])
    const unconfirmedCounts = await review.countSearch({ ...base, identity: 'unconfirmed' })
    t.same(unconfirmedCounts.statuses, { pending: 1, approved: 1, rejected: 0 }, 'the email member is approved')
    t.same(unconfirmedCounts.carriers, [{ carrier: 'KT', count: 1 }])

    t.same(await review.findSharingUniqueKey(claimed.id), [
      { id: attached.id, username: attached.profile!.username, status: 'approved', confirmed: true },
      { id: otherCi.id, username: otherCi.profile!.username, status: 'pending', confirmed: false }
    ], 'confirmed only where the provider confirmed the shared key itself')
    t.same(
      (await review.findSharingUniqueKey(attached.id)).map(holder => [holder.id, holder.confirmed]),
      [[otherCi.id, false], [claimed.id, false]]
    )
  })

  t.test('decidedAt: stamped when the status becomes approved or rejected, in the same write', async (t) => {
    const fixture = await make(t)
    const { accounts, review, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const input = phoneUser(catalog)
    const created = await accounts.create(input)
    t.equal(created.decidedAt, null, 'pending: undecided')
    t.equal((await accounts.findById(input.id))?.decidedAt, null)

    await recordDecision(input.id, 'approved', null)
    const approvedAt = (await accounts.findById(input.id))?.decidedAt
    t.ok(approvedAt instanceof Date, 'approved: stamped')
    t.ok(approvedAt!.getTime() >= created.createdAt.getTime())
    t.same((await accounts.findProfileById(input.id))?.decidedAt, approvedAt, 'on the profile lookup too')
    t.same(
      (await review.search({ status: 'approved', text: null, mobile: null, order: 'oldest', offset: 0, limit: 1 }))
        .users[0]?.decidedAt,
      approvedAt,
      'and in search results'
    )
    await recordDecision(input.id, 'approved', null)
    t.same((await accounts.findById(input.id))?.decidedAt, approvedAt, 'approving again keeps the first stamp')
    await new Promise((resolve) => setTimeout(resolve, 5)) // the clock moves on

    await recordDecision(input.id, 'rejected', 'blurry', new Date())
    const rejectedAt = (await accounts.findById(input.id))?.decidedAt
    t.ok(rejectedAt!.getTime() > approvedAt!.getTime(), 'a new decision, a new stamp')
    await recordDecision(input.id, 'pending', null)
    t.equal((await accounts.findById(input.id))?.decidedAt, null, 'back to pending: undecided again')

    const emailOnly = emailUser() // approved at sign-up
    const signedUp = await accounts.create(emailOnly)
    t.ok(signedUp.decidedAt instanceof Date, 'an account approved at sign-up was decided then')
    t.equal(await recordDecision(emailOnly.id, 'approved', null), true)
    t.same(
      (await accounts.findById(emailOnly.id))?.decidedAt,
      signedUp.decidedAt,
      'approving it again keeps the stamp of its sign-up (written by the database, to the microsecond)'
    )
  })

  t.test('a decision is stored only over the decision it was made from', async (t) => {
    const { accounts, review, catalog } = await make(t)
    const input = phoneUser(catalog)
    await accounts.create(input)
    const seen = { status: 'pending' as const, decidedAt: null }
    const first = new Date('2026-05-01T10:00:00.123Z')
    const second = new Date('2026-05-01T10:00:07.456Z')
    const cutoff = new Date('2026-05-01T10:00:08.000Z')
    t.equal(await review.storeDecision(input.id, seen, decideStatus(seen, 'approved', null, first)), true)
    t.equal(
      await review.storeDecision(input.id, seen, decideStatus(seen, 'rejected', 'late', second), cutoff),
      false,
      'made from a state that is gone: refused'
    )
    const after = await accounts.findById(input.id)
    t.same(
      [after?.status, after?.decidedAt?.toISOString(), after?.rejectionReason, after?.tokensValidAfter],
      ['approved', first.toISOString(), null, null],
      'the refused write changed nothing, its cutoff included'
    )
    const now = { status: after!.status, decidedAt: after!.decidedAt }
    t.equal(
      await review.storeDecision(input.id, now, decideStatus(now, 'rejected', 'blurry', second), cutoff),
      true,
      'made from the state as it is: stored'
    )
    t.same(
      [(await accounts.findById(input.id))?.status, (await accounts.findCard(input.id))?.tokensValidAfter],
      ['rejected', cutoff],
      'with its cutoff in the same write'
    )
    t.equal(
      await review.storeDecision(randomUUID(), seen, decideStatus(seen, 'approved', null, first)),
      false,
      'no such member'
    )
  })

  t.test('twenty decisions made from one read at once: exactly one is stored', async (t) => {
    const { accounts, review, catalog } = await make(t)
    const input = phoneUser(catalog)
    await accounts.create(input)
    const seen = { status: 'pending' as const, decidedAt: null }
    const stamps = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 4, 1, 10, 0, i)))
    const stored = await Promise.all(
      stamps.map(at => review.storeDecision(input.id, seen, decideStatus(seen, 'approved', null, at)))
    )
    t.equal(stored.filter(Boolean).length, 1)
    const winner = stamps[stored.indexOf(true)]!
    t.equal((await accounts.findById(input.id))?.decidedAt?.toISOString(), winner.toISOString(), 'the winner\'s stamp')
  })

  t.test('ten staff approving one member at once: all succeed, and the first stamp stands', async (t) => {
    const fixture = await make(t)
    const { accounts, review, catalog } = fixture
    const input = phoneUser(catalog)
    await accounts.create(input)
    // Every write that landed over the pending member: the first decision, whose stamp must stay.
    const firsts: Array<Date | null> = []
    const watched: typeof review = {
      ...review,
      storeDecision: async (id, seen, decision, endSessionsAt) => {
        const stored = await review.storeDecision(id, seen, decision, endSessionsAt)
        if (stored && seen.status === 'pending') firsts.push(decision.decidedAt)
        return stored
      }
    }
    const recordDecision = recordDecisionOn({ ...fixture, review: watched })
    const results = await Promise.all(Array.from({ length: 10 }, () => recordDecision(input.id, 'approved', null)))
    t.same(results, Array.from({ length: 10 }, () => true), 'every decision is recorded')
    t.equal(firsts.length, 1, 'one decision found the member pending')
    t.same((await accounts.findById(input.id))?.decidedAt, firsts[0], 'its stamp is the one kept')
  })

  reviewQueueContract(t, make)
}

/**
 * The queue's filters, counts, orders and pages on one population: every adapter must find what the
 * population, read back, says it holds. Orders are checked pair by pair on what was read back, so
 * two sign-ups within one millisecond (the SQL stamp has microseconds) cannot fail the test.
 */
export function reviewQueueContract (t: Test, make: MakeUserStores): void {
  t.test('queue filters, counts, orders and pages agree with the members', async (t) => {
    const fixture = await make(t)
    const { accounts, review, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const carriers = ['SK telecom', 'KT', 'LG U+', null]
    const names = ['하늘', 'Zoe', '가람', 'amy', '나래', 'Bob']
    const shared = `dup-${uniqueSuffix()}`
    const shared2 = `dup-${uniqueSuffix()}`
    const inputs = []
    for (let i = 0; i < 36; i++) {
      const uniqueKey = i % 9 === 0 ? shared : i % 11 === 1 ? shared2 : i === 5 ? null : `k-${uniqueSuffix()}`
      inputs.push(
        phoneUser(catalog, {
          name: `${names[i % names.length]!}${i % 4}`,
          foreigner: i % 3 === 0,
          carrier: carriers[i % carriers.length]!,
          uniqueKey
        })
      )
    }
    for (let i = 0; i < 4; i++) inputs.push(emailUser())
    for (const input of inputs) await accounts.create(input)
    for (const [index, input] of inputs.slice(0, 36).entries()) {
      if (index % 5 === 1) await recordDecision(input.id, 'approved', null)
      if (index % 7 === 2) await recordDecision(input.id, 'rejected', 'blurry')
    }
    const members = await Promise.all(inputs.map(async input => (await accounts.findProfileById(input.id))!))
    const keyCount = new Map<string, number>()
    for (const member of members) {
      const key = member.profile?.uniqueKey ?? null
      if (key !== null) keyCount.set(key, (keyCount.get(key) ?? 0) + 1)
    }
    const isDuplicate = (member: (typeof members)[number]) => (keyCount.get(member.profile?.uniqueKey ?? '') ?? 0) > 1
    const now = new Date(Math.max(...members.map(member => member.createdAt.getTime())) + 60_000)
    const byTime = [...members].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    const from = byTime[8]!.createdAt
    const before = byTime[30]!.createdAt
    const base = { status: null, text: null, mobile: null, order: 'oldest' as const, offset: 0, limit: 500, now }
    type Query = Parameters<typeof review.search>[0]
    type Member = (typeof members)[number]
    const cases: Array<[string, Partial<Query>, (member: Member) => boolean]> = [
      ['everyone', {}, () => true],
      ['pending', { status: 'pending' }, m => m.status === 'pending'],
      ['duplicates', { duplicate: true }, isDuplicate],
      [
        'no duplicates, pending',
        { duplicate: false, status: 'pending' },
        m => !isDuplicate(m) && m.status === 'pending'
      ],
      ['foreigners', { foreigner: true }, m => m.profile?.foreigner === true],
      ['Koreans', { foreigner: false }, m => m.profile?.foreigner === false],
      ['KT', { carrier: 'KT' }, m => m.profile?.carrier === 'KT'],
      [
        'a sign-up range',
        { signedUpFrom: from, signedUpBefore: before },
        m => m.createdAt.getTime() >= from.getTime() && m.createdAt.getTime() < before.getTime()
      ],
      [
        'all at once',
        { status: 'pending', foreigner: false, carrier: 'SK telecom', duplicate: false, signedUpFrom: from },
        m =>
          m.status === 'pending' && m.profile?.foreigner === false && m.profile.carrier === 'SK telecom' &&
          !isDuplicate(m) && m.createdAt.getTime() >= from.getTime()
      ]
    ]
    for (const [label, filters, expected] of cases) {
      const query = { ...base, ...filters }
      const found = await review.search(query)
      const want = members.filter(expected)
      t.same(found.users.map(user => user.id).sort(), want.map(m => m.id).sort(), `${label}: the members`)
      t.equal(found.total, want.length, `${label}: the total`)
      t.same(found.duplicateIds.sort(), want.filter(isDuplicate).map(m => m.id).sort(), `${label}: flagged duplicates`)
      const counts = await review.countSearch(query)
      // What each choice would find: the member read as if it had the chosen status (or carrier).
      for (const status of ['pending', 'approved', 'rejected'] as const) {
        const would = members.filter(m => m.status === status && expected({ ...m, status: query.status ?? status }))
        t.equal(counts.statuses[status], would.length, `${label}: the ${status} count`)
      }
      const byCarrier = new Map<string, number>()
      for (const m of members) {
        const carrier = m.profile?.carrier ?? null
        const as = { ...m, profile: { ...m.profile!, carrier: query.carrier ?? carrier } }
        if (carrier === null || !expected(as)) continue
        byCarrier.set(carrier, (byCarrier.get(carrier) ?? 0) + 1)
      }
      t.same(
        counts.carriers,
        [...byCarrier].map(([carrier, count]) => ({ carrier, count }))
          .sort((a, b) => b.count - a.count || (a.carrier < b.carrier ? -1 : 1)),
        `${label}: the carrier counts`
      )
    }

    const waited = (m: Member) => (m.decidedAt ?? now).getTime() - m.createdAt.getTime()
    const orders: Array<[Query['order'], (a: Member, b: Member) => boolean]> = [
      ['oldest', (a, b) => a.createdAt.getTime() <= b.createdAt.getTime()],
      ['newest', (a, b) => a.createdAt.getTime() >= b.createdAt.getTime()],
      // Within a millisecond either way: the stored sign-up has microseconds the read-back lacks.
      ['waiting', (a, b) => waited(a) >= waited(b) - 1],
      ['name', (a, b) => {
        const [x, y] = [a.profile?.name ?? null, b.profile?.name ?? null]
        return y === null || (x !== null && x <= y)
      }]
    ]
    const byId = new Map(members.map(m => [m.id, m]))
    for (const [order, inOrder] of orders) {
      const all = (await review.search({ ...base, order })).users.map(user => byId.get(user.id)!)
      t.equal(all.length, members.length)
      t.ok(all.every((m, i) => i === 0 || inOrder(all[i - 1]!, m)), `${order}: in order`)
      const paged = []
      for (let offset = 0; offset < members.length; offset += 7) {
        const found = await review.search({ ...base, order, offset, limit: 7 })
        t.equal(found.total, members.length)
        paged.push(...found.users.map(user => user.id))
      }
      t.same(paged, all.map(m => m.id), `${order}: pages of seven are the whole list in the same order`)
    }
    t.equal(
      (await review.search({ ...base, order: 'name' })).users.at(-1)?.profile,
      null,
      'members without a name come last'
    )
  })
}
