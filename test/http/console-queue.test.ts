import t, { type Test } from 'tap'
import { makeRecordDecision } from '../../src/application/review/record-decision.js'
import { fromShortUuid, toShortUuid } from '../../src/domain/short-uuid.js'
import type { UserWithProfile } from '../../src/domain/user.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { emailUser, phoneUser } from '../contracts/user-stores-fixture.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

type Built = Awaited<ReturnType<typeof buildTestApp>>

const CARRIERS = ['SK telecom', 'KT', 'LG U+']
const NAMES = ['하늘', 'Zoe', '가람', 'amy', '나래', 'Bob', '다온']
const SEOUL = 9 * 3600_000
const EVERYONE = { status: null, text: null, mobile: null, order: 'oldest' as const, offset: 0, limit: 1000 }

/**
 * A few hundred members signed up seven minutes apart, some sharing an identity-verification key,
 * some foreigners, three carriers, a tenth approved and a tenth rejected, and five email members.
 */
async function population ({ ports }: Built, count = 300) {
  const catalog = { interestIds: [CATALOG_STARTER.interests[0]!.id], professionId: CATALOG_STARTER.professions[0]!.id }
  const record = makeRecordDecision({ accounts: ports.accounts, review: ports.review, clock: ports.clock })
  const tag = uniqueSuffix()
  for (let i = 0; i < count; i++) {
    ports.clock.advance(7 * 60_000)
    await ports.accounts.create(
      phoneUser(catalog, {
        username: `m${String(i).padStart(3, '0')}-${tag}`,
        name: `${NAMES[i % NAMES.length]!}${String(i).padStart(3, '0')}`,
        foreigner: i % 4 === 0,
        carrier: CARRIERS[i % CARRIERS.length]!,
        uniqueKey: i % 50 < 2 ? `dup-${tag}-${Math.floor(i / 50)}` : `key-${tag}-${i}`
      })
    )
  }
  for (let i = 0; i < 5; i++) await ports.accounts.create(emailUser())
  const everyone = (await ports.review.search(EVERYONE)).users
  for (const [i, member] of everyone.entries()) {
    if (member.profile === null) continue
    if (i % 10 === 3) await record(member.id, 'approved', null)
    if (i % 10 === 7) await record(member.id, 'rejected', 'blurry')
  }
  ports.clock.advance(3 * 3600_000)
  const members = (await ports.review.search(EVERYONE)).users
  const keys = new Map<string, number>()
  for (const m of members) {
    const key = m.profile?.uniqueKey ?? null
    if (key !== null) keys.set(key, (keys.get(key) ?? 0) + 1)
  }
  const duplicate = (m: UserWithProfile) => (keys.get(m.profile?.uniqueKey ?? '') ?? 0) > 1
  return { members, duplicate }
}

/** The queue's rows: each member's short uuid, in the page's order, and the row's markup. */
function rowsOf (html: string): Array<{ uuid: string, html: string }> {
  return html
    .split('<tr class="queue-row')
    .slice(1)
    .map(chunk => {
      const row = chunk.slice(0, chunk.indexOf('</tr>'))
      return { uuid: /href="\/console\/members\/([^"]+)"/.exec(row)![1]!, html: row }
    })
}

const totalOf = (html: string) => Number(/id="total">[^<\d]*(\d+)/.exec(html)?.[1])
const ids = (members: UserWithProfile[]) => members.map(m => toShortUuid(m.id))
const seoulDay = (at: Date) => new Date(at.getTime() + SEOUL).toISOString().slice(0, 10)

/** An app with what `setup` puts in it (moving the clock as it likes), then a reviewer signed in. */
async function signedIn<S> (t: Test, setup: (built: Built) => Promise<S>) {
  const built = await buildTestApp(t)
  const made = await setup(built)
  const staff = await addStaff(built.ports, 'reviewer')
  const { cookie, csrf } = await signInStaff(built.app, built.ports, staff)
  const get = (url: string, language = 'ko') =>
    built.app.inject({ method: 'GET', url, headers: { cookie: cookie!, 'accept-language': language } })
  const post = (url: string, fields: Array<[string, string]>) =>
    built.app.inject({
      method: 'POST',
      url,
      ...withCookie(
        {
          payload: new URLSearchParams([['_csrf', csrf!], ...fields]).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' }
        },
        cookie!
      )
    })
  return { ...built, made, staff, cookie: cookie!, csrf: csrf!, get, post }
}

t.test('filters, counts, orders and pages agree with the members, all in the URL', async (t) => {
  const session = await signedIn(t, built => population(built))
  const { members, duplicate } = session.made
  const { get } = session
  const pending = members.filter(m => m.status === 'pending')

  // Every page of the pending queue, fifty at a time, is the whole queue oldest first.
  const walked: string[] = []
  for (let page = 1; page <= Math.ceil(pending.length / 50); page++) {
    const res = await get(`/console/queue?size=50&page=${page}`)
    t.equal(res.statusCode, 200)
    t.equal(totalOf(res.body), pending.length)
    walked.push(...rowsOf(res.body).map(row => row.uuid))
  }
  t.same(walked, ids(pending), 'the pages in turn are the pending members, oldest first, none twice')

  const first = await get('/console/queue')
  t.equal(rowsOf(first.body).length, 25, 'twenty-five a page by default')
  t.match(first.body, `대기 (${pending.length})`, 'the count beside each status')
  t.match(first.body, `승인 (${members.filter(m => m.status === 'approved').length})`)
  t.match(first.body, '<span aria-current="page"', 'the current page marked')
  const last = Math.ceil(pending.length / 25)
  t.match(first.body, `href="/console/queue?page=${last}"`, 'a link to the last page by its number')

  const cases: Array<[string, (m: UserWithProfile) => boolean]> = [
    ['status=all&dup=yes', duplicate],
    ['dup=no', m => m.status === 'pending' && !duplicate(m)],
    ['status=all&foreigner=yes', m => m.profile?.foreigner === true],
    [
      'foreigner=no&carrier=KT',
      m => m.status === 'pending' && m.profile?.foreigner === false && m.profile.carrier === 'KT'
    ],
    ['status=rejected&carrier=LG+U%2B', m => m.status === 'rejected' && m.profile?.carrier === 'LG U+']
  ]
  const day = seoulDay(members[120]!.createdAt)
  const nextDay = seoulDay(new Date(members[120]!.createdAt.getTime() + 24 * 3600_000))
  cases.push([
    `status=all&from=${day}&to=${nextDay}`,
    m => seoulDay(m.createdAt) >= day && seoulDay(m.createdAt) <= nextDay
  ])
  for (const [query, expected] of cases) {
    const res = await get(`/console/queue?${query}&size=100&sort=oldest`)
    t.equal(res.statusCode, 200, query)
    const want = members.filter(expected)
    t.ok(want.length > 0, `${query}: the population has such members`)
    t.equal(totalOf(res.body), want.length, `${query}: the total`)
    t.same(rowsOf(res.body).map(row => row.uuid), ids(want).slice(0, 100), `${query}: the members, in order`)
    const flagged = rowsOf(res.body).filter(row => row.html.includes('class="badge duplicate"')).map(row => row.uuid)
    t.same(flagged, ids(want.filter(duplicate)).slice(0, 100).filter(id => flagged.includes(id)), `${query}: flags`)
    t.equal(flagged.length, want.slice(0, 100).filter(duplicate).length, `${query}: every duplicate flagged`)
  }
  const kt = await get('/console/queue?status=all')
  t.match(kt.body, `KT (${members.filter(m => m.profile?.carrier === 'KT').length})`, 'the count beside each carrier')

  const byName = await get('/console/queue?status=all&sort=name&size=100')
  const named = [...members].filter(m => m.profile !== null)
    .sort((a, b) => (a.profile!.name < b.profile!.name ? -1 : a.profile!.name > b.profile!.name ? 1 : 0))
  t.same(rowsOf(byName.body).map(row => row.uuid), ids(named).slice(0, 100), 'by name, in 가나다 and code point order')
  const newest = await get('/console/queue?sort=newest&size=10&page=2')
  t.same(rowsOf(newest.body).map(row => row.uuid), ids([...pending].reverse()).slice(10, 20), 'newest first, page two')
  const waiting = await get('/console/queue?status=all&sort=waiting&size=10')
  const waited = (m: UserWithProfile) => (m.decidedAt ?? session.ports.clock.now()).getTime() - m.createdAt.getTime()
  const longest = [...members].sort((a, b) => waited(b) - waited(a) || a.createdAt.getTime() - b.createdAt.getTime())
  t.same(rowsOf(waiting.body).map(row => row.uuid), ids(longest).slice(0, 10), 'longest waiting first')

  // The filters survive in the form and in every page link: the URL is the state.
  const shared = '/console/queue?dup=no&foreigner=no&carrier=KT&sort=name&size=10&page=2'
  const linked = await get(shared)
  t.match(linked.body, /<option value="no" selected>[^<]*<\/option>/, 'the chosen filters selected in the form')
  t.match(linked.body, /<option value="KT" selected>KT \(\d+\)<\/option>/)
  t.match(linked.body, /<option value="name" selected>/)
  t.match(linked.body, /<option value="10" selected>/)
  const filters = 'dup=no&amp;foreigner=no&amp;carrier=KT&amp;sort=name&amp;size=10'
  t.match(linked.body, `href="/console/queue?${filters}&amp;page=3"`, 'the next page keeps every filter')
  t.match(linked.body, `href="/console/queue?${filters}"`, 'page one')
})

t.test('a row: lazy thumbnail, flag, number at home, email only where there is one, the wait', async (t) => {
  const catalog = { interestIds: [CATALOG_STARTER.interests[0]!.id], professionId: null }
  const korean = phoneUser(catalog, { uniqueKey: `same-${uniqueSuffix()}` })
  korean.mobile = '+821055501234' as typeof korean.mobile
  const foreign = phoneUser(catalog, { uniqueKey: korean.profile!.uniqueKey, foreigner: true })
  foreign.mobile = '+447400123456' as typeof foreign.mobile
  const mail = emailUser({ status: 'pending' })
  const session = await signedIn(t, async ({ ports }) => {
    await ports.accounts.create(korean)
    ports.clock.advance(60_000)
    await ports.accounts.create(foreign)
    ports.clock.advance(60_000)
    await ports.accounts.create(mail)
    ports.clock.advance(3 * 3600_000 + 59 * 60_000)
  })
  const { get } = session

  const page = await get('/console/queue')
  const [a, b, c] = rowsOf(page.body)
  t.match(a!.html, '010-5550-1234', 'a Korean number as Koreans write it')
  t.notMatch(page.body, '+8210', 'never as +8210…')
  t.match(b!.html, '+44 7400 123456', 'a foreign number in international form')
  t.match(c!.html, mail.email!, 'the email of an email member, in the same contact column')
  t.notMatch(page.body, /<th[^>]*>이메일<\/th>/, 'no email column of its own')
  t.match(
    a!.html,
    /<img class="q-thumb" src="[^"]+\/images\/users\/avatars\/[^"]+" alt width="48" height="48" loading="lazy"/
  )
  t.match(c!.html, 'q-no-photo', 'no photo: said so')
  t.match(a!.html, 'class="badge duplicate"', 'one person, two accounts: flagged')
  t.match(b!.html, 'class="badge duplicate"')
  t.notMatch(c!.html, 'class="badge duplicate"')
  t.match(a!.html, '<td class="q-waiting" data-label="대기 시간">4시간</td>', 'waiting, in Korean')
  const english = await get('/console/queue', 'en')
  t.match(rowsOf(english.body)[0]!.html, '>4 h</td>', 'and in English')
  const later = await signedIn(t, async ({ ports }) => {
    await ports.accounts.create(phoneUser(catalog))
    ports.clock.advance(2 * 24 * 3600_000 + 3600_000)
  })
  t.match(rowsOf((await later.get('/console/queue', 'en')).body)[0]!.html, '>2 d</td>', 'days after a day')
})

t.test('a bad address is a 400 page that names what is wrong, never a 500', async (t) => {
  const { get } = await signedIn(t, async () => {})
  const cases: Array<[string, RegExp | string]> = [
    ['size=7', '&quot;size&quot;'],
    ['sort=fastest', '&quot;sort&quot;'],
    ['status=maybe', '&quot;status&quot;'],
    ['page=0', '&quot;page&quot;'],
    ['dup=perhaps', '&quot;dup&quot;'],
    ['from=yesterday', '&quot;from&quot;'],
    ['from=2026-02-30', '&quot;from&quot;'],
    ['to=2026-13-01', '&quot;to&quot;'],
    ['from=2026-03-02&to=2026-03-01', '시작일이 종료일보다 늦습니다'],
    [`carrier=${'x'.repeat(51)}`, '&quot;carrier&quot;'],
    ['size=25&size=50', '&quot;size&quot;']
  ]
  for (const [query, message] of cases) {
    const res = await get(`/console/queue?${query}`)
    t.equal(res.statusCode, 400, query)
    t.match(res.body, message, `${query}: says what is wrong`)
    t.match(res.body, 'href="/console/queue"', `${query}: a way back`)
  }
  const english = await get('/console/queue?size=7', 'en')
  t.match(english.body, 'The queue address has a value for &quot;size&quot; that is not valid')
  const oneDay = await get('/console/queue?from=2026-03-01&to=2026-03-01&utm=x')
  t.equal(oneDay.statusCode, 200, 'one day; unknown keys ignored')
})

t.test('approve many: a confirmation naming who, each approved with an entry, one decided since skipped', async (t) => {
  const session = await signedIn(t, built => population(built, 40))
  const { ports, get, post, staff } = session
  const page = await get('/console/queue?size=10')
  const picks = [...page.body.matchAll(/name="m" value="([^"]+)"/g)].map(match => match[1]!)
  t.equal(picks.length, 10, 'a box for each pending member')
  t.match(page.body, 'name="scope" value="page"', 'and "every pending member on this page"')

  const chosen = picks.slice(0, 4)
  const confirm = await post('/console/queue/approve', [
    ['scope', 'selected'],
    ['back', '/console/queue?size=10'],
    ...chosen.map((pick): [string, string] => ['m', pick])
  ])
  t.equal(confirm.statusCode, 200)
  const usernames = await Promise.all(chosen.map(async pick =>
    (await ports.accounts.findProfileById(fromShortUuid(pick.split(':')[0]!)!))!.profile!.username))
  for (const username of usernames) t.match(confirm.body, username, `the confirmation names ${username}`)
  t.match(confirm.body, '회원 4명을 승인할까요?')
  t.same(
    (await ports.audit.list({ limit: 50 })).filter(entry => entry.action === 'member.approved'),
    [],
    'nothing approved before the confirmation'
  )
  const carried = [...confirm.body.matchAll(/name="m" value="([^"]+)"/g)].map(match => match[1]!)
  t.same(carried, chosen, 'the final form carries each member with the version the queue showed')

  // Another reviewer rejects the second member between the confirmation and the approval.
  const other = await addStaff(ports, 'reviewer')
  const rival = await signInStaff(session.app, ports, other)
  const secondUuid = chosen[1]!.split(':')[0]!
  const memberPage = await session.app.inject({
    method: 'GET',
    url: `/console/members/${secondUuid}`,
    headers: { cookie: rival.cookie! }
  })
  const version = /name="version" value="([^"]+)"/.exec(memberPage.body)?.[1]
  const rejected = await session.app.inject({
    method: 'POST',
    url: `/console/members/${secondUuid}/reject`,
    ...withCookie(
      form({ _csrf: rival.csrf!, reason: 'blurry', ...(version === undefined ? {} : { version }) }),
      rival.cookie!
    )
  })
  t.equal(rejected.statusCode, 303, 'the rival reviewer rejects the member')

  const done = await post('/console/queue/approve/confirm', [
    ['back', '/console/queue?size=10'],
    ...carried.map((pick): [string, string] => ['m', pick])
  ])
  t.equal(done.statusCode, 200)
  t.match(done.body, '3명을 승인했습니다.')
  t.match(done.body, '1명은 건너뛰었습니다')
  const rivalEmail = other.email.replace(/[.+]/g, '\\$&')
  t.match(done.body, new RegExp(`${usernames[1]!}</a>: [^<]*${rivalEmail}님이 먼저 거절했습니다`), 'skipped: who decided first')
  t.match(done.body, 'href="/console/queue?size=10"', 'back to the same queue')
  const states = await Promise.all(chosen.map(async pick =>
    (await ports.accounts.findById(fromShortUuid(pick.split(':')[0]!)!))!.status))
  t.same(states, ['approved', 'rejected', 'approved', 'approved'], 'the rejected member stays rejected')
  const approvedEntries = (await ports.audit.list({ limit: 100 })).filter(entry => entry.action === 'member.approved')
  t.equal(approvedEntries.length, 3, 'one audit entry per approved member')
  t.ok(
    approvedEntries.every(entry => entry.actor.kind === 'staff' && entry.actor.email === staff.email),
    'under the reviewer'
  )

  const again = await post('/console/queue/approve/confirm', carried.map((pick): [string, string] => ['m', pick]))
  t.match(again.body, '0명을 승인했습니다.', 'the same post twice approves nobody twice')
  t.match(again.body, '4명은 건너뛰었습니다')

  // "Every pending member on this page": the hidden list, not the ticked boxes.
  const fresh = await get('/console/queue?size=10')
  const onPage = [...fresh.body.matchAll(/name="page_m" value="([^"]+)"/g)].map(match => match[1]!)
  const whole = await post('/console/queue/approve', [
    ['scope', 'page'],
    ...onPage.map((pick): [string, string] => ['page_m', pick])
  ])
  t.match(whole.body, '회원 10명을 승인할까요?')
})

t.test('approve many refuses: no CSRF, nothing chosen, too many, a forged version', async (t) => {
  const session = await signedIn(t, built => population(built, 12))
  const { ports, post, app, cookie } = session
  const pending = (await ports.review.search({ ...EVERYONE, status: 'pending', limit: 10 })).users
  const pick = `${toShortUuid(pending[0]!.id)}:pending.none`

  const forged = await app.inject({
    method: 'POST',
    url: '/console/queue/approve/confirm',
    ...withCookie(form({ m: pick }), cookie)
  })
  t.equal(forged.statusCode, 403, 'no CSRF token: refused')
  t.equal((await ports.accounts.findById(pending[0]!.id))?.status, 'pending', 'and nobody approved')

  const none = await post('/console/queue/approve', [['scope', 'selected']])
  t.equal(none.statusCode, 400)
  t.match(none.body, '선택한 회원이 없습니다')

  const many = Array.from({ length: 101 }, (): [string, string] => ['m', pick])
  const tooMany = await post('/console/queue/approve/confirm', many)
  t.equal(tooMany.statusCode, 400)
  t.match(tooMany.body, '한 번에 최대 100명까지 승인할 수 있습니다.')

  const reapproval = `${toShortUuid(pending[1]!.id)}:rejected.1700000000000`
  const odd = await post('/console/queue/approve/confirm', [['m', reapproval]])
  t.match(odd.body, '요청이 올바르지 않습니다', 'a version naming a decided state is no bulk re-approval')
  t.equal((await ports.accounts.findById(pending[1]!.id))?.status, 'pending')
  const garbage = await post('/console/queue/approve/confirm', [['m', 'not-a-member']])
  t.equal(garbage.statusCode, 400, 'a malformed pick: 400, not 500')
})
