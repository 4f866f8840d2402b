import t, { type Test } from 'tap'
import type { AuditLog } from '../../src/application/ports/records/audit-log.js'
import { maskIdentityKey, type IdentityConfirmation } from '../../src/domain/identity.js'
import { toShortUuid } from '../../src/domain/short-uuid.js'
import type { PhoneProfile } from '../../src/domain/user.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { confirmedIdentity, phoneUser, randomMobile } from '../contracts/user-stores-fixture.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { fakeCi, fakeDi } from '../helpers/portone-stand-in.js'

// The member page and the queue tell a member PortOne confirmed from one whose identity is only
// what the app sent; the keys (CI, DI) stay masked until a staff member reveals them on the trail.

type Built = Awaited<ReturnType<typeof buildTestApp>>

const CATALOG = { interestIds: [CATALOG_STARTER.interests[0]!.id], professionId: CATALOG_STARTER.professions[0]!.id }

/**
 * A pending member straight into the store: with `identity` PortOne's confirmation (the sign-up's
 * write), claiming the confirmed keys unless `profile` says otherwise.
 */
async function member ({ ports }: Built, profile: Partial<PhoneProfile>, identity?: Partial<IdentityConfirmation>) {
  const mobile = randomMobile()
  const confirmation = identity === undefined
    ? null
    : confirmedIdentity({ ci: fakeCi(), di: fakeDi(), mobile, phone: mobile.replace('+82', '0'), ...identity })
  const created = await ports.accounts.create({
    ...phoneUser(CATALOG, {
      uniqueKey: confirmation?.ci ?? fakeCi(),
      uniqueInSite: confirmation?.di ?? fakeDi(),
      ...profile
    }),
    mobile,
    identity: confirmation
  })
  const { uniqueKey, uniqueInSite } = created.profile!
  return { id: created.id, uuid: toShortUuid(created.id), claimed: { ci: uniqueKey!, di: uniqueInSite! }, confirmation }
}

async function staffOn (t: Test, built: Built) {
  const staff = await addStaff(built.ports, 'reviewer')
  const { cookie, csrf } = await signInStaff(built.app, built.ports, staff)
  return {
    staff,
    get: (url: string, language = 'ko') =>
      built.app.inject({ method: 'GET', url, headers: { cookie: cookie!, 'accept-language': language } }),
    reveal: (uuid: string, token: string | null = csrf) =>
      built.app.inject({
        method: 'POST',
        url: `/console/members/${uuid}/identity/reveal`,
        ...withCookie(form(token === null ? {} : { _csrf: token }), cookie!)
      })
  }
}

/** The identity table's row of a field, or null. */
const rowOf = (html: string, field: string): string | null =>
  new RegExp(`<tr[^>]*data-field="${field}"[^>]*>.*?</tr>`).exec(html)?.[0] ?? null

const revealed = async ({ ports }: Built, memberId: string) =>
  (await ports.audit.list({ memberId, limit: 100 })).filter(entry => entry.action === 'member.identity_revealed')

t.test('a confirmed member: the mark, both times, fields side by side, a difference marked, keys masked', async t => {
  const built = await buildTestApp(t)
  // The app said 1984, PortOne says 1992; every other field agrees ("SK telecom" is SKT's network).
  const confirmed = await member(built, { birth: '1984-10-23', carrier: 'SK telecom' }, { birth: '1992-07-08' })
  const { get } = await staffOn(t, built)

  const page = await get(`/console/members/${confirmed.uuid}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /id="identity-mark"[^>]*>.*포트원 본인인증 완료/, 'the confirmed mark')
  t.notMatch(page.body, '서버에서 확인되지 않은')
  const birth = rowOf(page.body, 'birth')!
  t.match(birth, 'class="differs"', 'the differing row has its class')
  t.match(birth, '다름', 'and a written marker, not colour alone')
  t.match(birth, '1984-10-23')
  t.match(birth, '1992-07-08')
  for (const field of ['name', 'gender', 'mobile', 'carrier', 'foreigner', 'ci', 'di']) {
    const row = rowOf(page.body, field)
    t.ok(row, `a row for ${field}`)
    t.notMatch(row, 'differs', `${field} agrees`)
  }
  t.match(page.body, 'id="identity-differs"', 'the count of differing fields is said above the table')
  t.match(rowOf(page.body, 'ci'), `${maskIdentityKey(confirmed.claimed.ci)}</code>`, 'the CI masked')
  t.match(rowOf(page.body, 'di'), maskIdentityKey(confirmed.claimed.di), 'the DI masked')
  for (const key of [confirmed.claimed.ci, confirmed.claimed.di]) {
    t.notMatch(page.body, key, 'no raw key anywhere on the page')
  }
  t.match(page.body, 'action="/console/members/' + confirmed.uuid + '/identity/reveal"', 'the reveal form')

  const english = await get(`/console/members/${confirmed.uuid}`, 'en')
  t.match(english.body, 'Identity confirmed by PortOne')
  // confirmedIdentity: verified 10:00:00Z, confirmed 10:01:02Z, as Seoul reads them.
  t.match(english.body, /Confirmed<\/dt><dd>1 May 2026, 19:01 KST/, 'when the server confirmed it')
  t.match(english.body, /Verified at PortOne<\/dt><dd>1 May 2026, 19:00 KST/, "and the provider's own time")
  t.match(rowOf(english.body, 'birth'), 'Differs')

  // Keys the app sent that are not PortOne's: those rows differ too (compared as masked, distinct ends).
  // PortOne's number is not the account's: that row differs as well.
  const contradicted = await member(built, { uniqueKey: fakeCi() }, { birth: '1984-10-23', mobile: randomMobile() })
  const other = await get(`/console/members/${contradicted.uuid}`)
  t.match(rowOf(other.body, 'ci'), 'class="differs"')
  t.match(rowOf(other.body, 'mobile'), 'class="differs"')
  t.notMatch(rowOf(other.body, 'birth'), 'differs')
  t.notMatch(rowOf(other.body, 'di'), 'differs')
})

t.test('a member nobody confirmed: marked as the app sent it, with the claimed keys masked', async t => {
  const built = await buildTestApp(t)
  const claimed = await member(built, {})
  const { get } = await staffOn(t, built)

  const page = await get(`/console/members/${claimed.uuid}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /id="identity-mark"[^>]*>.*서버에서 확인되지 않은 본인 정보 \(앱이 보낸 값\)/)
  t.notMatch(page.body, '포트원 본인인증 완료')
  t.notMatch(page.body, 'table class="identity"', 'no comparison without a confirmation')
  t.match(page.body, maskIdentityKey(claimed.claimed.ci))
  t.match(page.body, maskIdentityKey(claimed.claimed.di))
  t.notMatch(page.body, claimed.claimed.ci)
  t.notMatch(page.body, claimed.claimed.di)
  t.match((await get(`/console/members/${claimed.uuid}`, 'en')).body, 'Not confirmed by the server: as the app sent it')
})

t.test('reveal: on the trail first, then the whole keys, once; a forged post reveals nothing', async t => {
  const built = await buildTestApp(t)
  const confirmed = await member(built, {}, {})
  const session = await staffOn(t, built)

  const forged = await session.reveal(confirmed.uuid, null)
  t.equal(forged.statusCode, 403, 'no CSRF token, no keys')
  t.notMatch(forged.body, confirmed.claimed.ci)
  t.same(await revealed(built, confirmed.id), [], 'and nothing recorded')

  const shown = await session.reveal(confirmed.uuid)
  t.equal(shown.statusCode, 200)
  t.match(shown.body, confirmed.claimed.ci, 'the whole CI')
  t.match(shown.body, confirmed.claimed.di, 'the whole DI')
  t.match(shown.body, '전체 키를 표시했습니다', 'the page says the keys are shown and the look recorded')
  t.notMatch(shown.body, '/identity/reveal"', 'no second reveal offered on the revealed page')
  const entries = await revealed(built, confirmed.id)
  t.equal(entries.length, 1, 'member.identity_revealed is on the trail')
  t.match(entries[0], { memberId: confirmed.id, actor: { kind: 'staff', email: session.staff.email } })
  t.notMatch(JSON.stringify(entries[0]), confirmed.claimed.ci, 'the entry does not carry the key')

  const again = await session.get(`/console/members/${confirmed.uuid}`)
  t.notMatch(again.body, confirmed.claimed.ci, 'the page is masked again on the next visit')
  t.match(again.body, '본인 확인 키 열람', "the member's history shows the reveal")

  const claimedOnly = await member(built, {})
  const claimedShown = await session.reveal(claimedOnly.uuid)
  t.match(claimedShown.body, claimedOnly.claimed.ci, "an unconfirmed member's claimed keys are revealed the same way")
  t.equal((await revealed(built, claimedOnly.id)).length, 1)

  t.equal((await session.reveal('AAAAAAAAAAAAAAAAAAAAAA')).statusCode, 404, 'no such member')
  t.equal((await session.reveal('not-a-uuid')).statusCode, 404)
})

t.test('a trail that cannot be written: the reveal is refused (503) and no key leaves', async t => {
  const audit = createMemoryAuditLog(randomIds)
  let down = false
  const trail: AuditLog = {
    ...audit,
    append: async entry => {
      if (down) throw new Error('audit store down')
      await audit.append(entry)
    }
  }
  const built = await buildTestApp(t, { audit: trail })
  const confirmed = await member(built, {}, {})
  const session = await staffOn(t, built)
  down = true
  const refused = await session.reveal(confirmed.uuid)
  t.equal(refused.statusCode, 503)
  t.notMatch(refused.body, confirmed.claimed.ci)
  t.notMatch(refused.body, confirmed.claimed.di)
  down = false
  t.equal(await (await revealed(built, confirmed.id)).length, 0)
  t.match((await session.reveal(confirmed.uuid)).body, confirmed.claimed.ci, 'back once the trail is')
})

t.test("the duplicate warning says whether each other account's key is confirmed or only claimed", async t => {
  const built = await buildTestApp(t)
  const confirmed = await member(built, { username: `confirmed-${Date.now()}` }, {})
  // Another account claims the same CI without PortOne behind it.
  const claimer = await member(built, { username: `claimer-${Date.now()}`, uniqueKey: confirmed.claimed.ci })
  const { get } = await staffOn(t, built)

  const claimerPage = await get(`/console/members/${claimer.uuid}`)
  const flag = /<div class="flag" role="note">.*?<\/div>/.exec(claimerPage.body)?.[0] ?? ''
  t.match(flag, `href="/console/members/${confirmed.uuid}"`)
  t.match(flag, '포트원 확인 키', "the other account's key is PortOne's")
  t.notMatch(flag, '미확인')

  const confirmedPage = await get(`/console/members/${confirmed.uuid}`, 'en')
  const otherFlag = /<div class="flag" role="note">.*?<\/div>/.exec(confirmedPage.body)?.[0] ?? ''
  t.match(otherFlag, `href="/console/members/${claimer.uuid}"`)
  t.match(otherFlag, 'key as the app sent it (not confirmed)')
  t.notMatch(confirmedPage.body, confirmed.claimed.ci, 'the warning names no key')
})

t.test('the queue: an identity filter in the URL and pages, and a badge on confirmed rows', async t => {
  const built = await buildTestApp(t)
  const confirmed = []
  for (let i = 0; i < 11; i++) {
    built.ports.clock.advance(60_000)
    confirmed.push(await member(built, {}, {}))
  }
  const unconfirmed = [await member(built, {}), await member(built, {})]
  const { get } = await staffOn(t, built)
  const rows = (html: string) => [...html.matchAll(/<tr class="queue-row[^"]*">.*?<\/tr>/g)].map(match => match[0])
  const uuidOf = (row: string) => /href="\/console\/members\/([^"]+)"/.exec(row)![1]

  const all = await get('/console/queue?size=100')
  t.equal(rows(all.body).length, 13)
  for (const row of rows(all.body)) {
    const isConfirmed = confirmed.some(one => one.uuid === uuidOf(row))
    t.equal(row.includes('badge identity-confirmed'), isConfirmed, 'the badge on confirmed rows only')
  }
  t.match(all.body, '<select id="identity" name="identity">', 'the filter is offered')

  const first = await get('/console/queue?identity=confirmed&size=10')
  t.equal(first.statusCode, 200)
  t.match(first.body, /id="total">[^<\d]*11/, 'eleven confirmed members')
  t.same(rows(first.body).map(uuidOf), confirmed.slice(0, 10).map(one => one.uuid), 'oldest first, ten a page')
  t.match(first.body, '<option value="confirmed" selected>', 'the filter shows what was chosen')
  t.match(first.body, 'href="/console/queue?identity=confirmed&amp;size=10&amp;page=2"', 'the pages keep the filter')
  const second = await get('/console/queue?identity=confirmed&size=10&page=2')
  t.same(rows(second.body).map(uuidOf), [confirmed[10]!.uuid])

  const rest = await get('/console/queue?identity=unconfirmed')
  t.same(rows(rest.body).map(uuidOf).sort(), unconfirmed.map(one => one.uuid).sort())
  t.notMatch(rest.body, 'badge identity-confirmed')
  t.match(rest.body, /id="total">[^<\d]*2/)

  const bad = await get('/console/queue?identity=maybe')
  t.equal(bad.statusCode, 400, 'another value is refused')
  t.match(bad.body, '&quot;identity&quot;', 'naming the field')
  t.equal((await get('/console/queue?identity=')).statusCode, 200, 'empty is "any", as the form sends it')
})
