import t from 'tap'
import { fromShortUuid, toShortUuid } from '../../src/domain/short-uuid.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, hiddenField, signInStaff, withCookie, type TestStaff } from '../helpers/console-flows.js'
import { admin, injectUploader, registration, withUploads } from '../helpers/phone-flows.js'

// Deciding in the console: every decision form carries the member's version, so a page made before
// another staff member's decision cannot overturn it.

type Built = Awaited<ReturnType<typeof buildTestApp>>

async function pendingMember ({ app }: Built, language = 'ko-KR') {
  const body = await withUploads(injectUploader(app), registration())
  const res = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: body,
    headers: { 'accept-language': language }
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  const uuid = res.json().user.uuid as string
  return { uuid, id: fromShortUuid(uuid)!, mobile: body.mobile }
}

/** A staff member signed in to the console, in a language, and how to call it as them. */
async function staffSession ({ app, ports }: Built, role: 'reviewer' | 'admin', language = 'ko') {
  const staff: TestStaff = await addStaff(ports, role)
  const { cookie, csrf } = await signInStaff(app, ports, staff)
  const headers = { cookie: cookie!, 'accept-language': language }
  const postTo = (url: string, fields: Record<string, string> = {}) => {
    const request = withCookie(form({ _csrf: csrf!, ...fields }), cookie!)
    return app.inject({ method: 'POST', url, ...request, headers: { ...request.headers, 'accept-language': language } })
  }
  return {
    staff,
    page: (uuid: string, query = '') =>
      app.inject({ method: 'GET', url: `/console/members/${uuid}${query}`, headers }),
    post: (uuid: string, verb: string, fields: Record<string, string> = {}) =>
      postTo(`/console/members/${uuid}/${verb}`, fields),
    postTo,
    get: (url: string) => app.inject({ method: 'GET', url, headers })
  }
}

const statusOf = async ({ ports }: Built, id: string) => (await ports.accounts.findById(id))?.status

t.test('two reviewers on one pending member: the second, on the old page, gets 409 naming the first', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  const first = await staffSession(built, 'reviewer')
  const second = await staffSession(built, 'reviewer', 'en')

  // Both open the member while pending: each page's forms carry the same version.
  const firstPage = await first.page(member.uuid)
  const secondPage = await second.page(member.uuid)
  const version = hiddenField(firstPage.body, 'version')
  t.equal(version, 'pending.none', 'the page carries the pending version')
  t.equal(hiddenField(secondPage.body, 'version'), version)
  t.notMatch(firstPage.body, 'id="others-here"', 'the first to open sees nobody else')
  t.match(secondPage.body, /id="others-here"[^]*Other staff on this member now/, 'the second sees someone is on it')
  t.match(secondPage.body, first.staff.email, 'and who')
  t.notMatch(secondPage.body.split('id="others-here"')[1]!.split('</div>')[0], second.staff.email, 'not themselves')
  t.match((await first.page(member.uuid)).body, second.staff.email, 'the first, reloading, sees the second')

  built.ports.clock.advance(5_000)
  const approved = await first.post(member.uuid, 'approve', { version: version! })
  t.equal(approved.statusCode, 303, 'the first decision lands')
  built.ports.clock.advance(5_000)
  const rejected = await second.post(member.uuid, 'reject', { version: version!, reason: 'Blurry photo' })
  t.equal(rejected.statusCode, 409, "the second reviewer's reject on the old page is refused")
  t.match(rejected.body, first.staff.email, 'the page names who decided first')
  t.match(rejected.body, 'approved', 'and what they decided')
  t.match(rejected.body, `href="/console/members/${member.uuid}"`, 'and links back to the member as they are now')
  t.equal(await statusOf(built, member.id), 'approved', 'the member stays approved')
  const trail = await built.ports.audit.list({ memberId: member.id, limit: 100 })
  t.notOk(trail.some(entry => entry.action === 'member.rejected'), 'no rejection on the trail')
  t.equal(
    (await built.app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } }))
      .statusCode,
    200,
    'the approved member still gets a code'
  )

  // A second approve on the old page is refused too: it would be a decision on a state not seen.
  t.equal((await second.post(member.uuid, 'approve', { version: version! })).statusCode, 409)
  const fresh = await second.page(member.uuid)
  t.equal(fresh.statusCode, 200)
  t.notMatch(fresh.body, `/console/members/${member.uuid}/reject`, 'no reject is offered for an approved member')
})

t.test('the 409 page in Korean; a malformed version is invalid input; no version decides as before', async (t) => {
  const built = await buildTestApp(t)
  const first = await staffSession(built, 'admin')
  const second = await staffSession(built, 'reviewer', 'ko')
  const member = await pendingMember(built)
  const version = hiddenField((await second.page(member.uuid)).body, 'version')!

  t.equal((await first.post(member.uuid, 'reject', { version, reason: '사진이 흐립니다' })).statusCode, 303)
  const stale = await second.post(member.uuid, 'approve', { version })
  t.equal(stale.statusCode, 409)
  t.match(stale.body, '다른 직원이 먼저 처리했습니다')
  t.match(stale.body, `${first.staff.email}님이 거절했습니다`)
  t.match(stale.body, '사진이 흐립니다', 'the reason of the decision that came first')
  t.equal(await statusOf(built, member.id), 'rejected')

  const other = await pendingMember(built)
  t.equal((await second.post(other.uuid, 'approve', { version: 'pending.soon' })).statusCode, 400)
  t.equal(await statusOf(built, other.id), 'pending', 'nothing changes on invalid input')
  t.equal((await second.post(other.uuid, 'approve')).statusCode, 303, 'a form without a version (an older page)')
  t.equal(await statusOf(built, other.id), 'approved')
})

t.test('who else is on a member forgets after a few minutes', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  const first = await staffSession(built, 'reviewer')
  const second = await staffSession(built, 'admin')
  await first.page(member.uuid)
  built.ports.clock.advance(4 * 60_000)
  t.match((await second.page(member.uuid)).body, first.staff.email, 'four minutes later, still there')
  built.ports.clock.advance(2 * 60_000)
  const later = await second.page(member.uuid)
  t.notMatch(later.body, 'id="others-here"', 'six minutes after their last look, gone')
})

t.test('the JSON admin API keeps deciding without a version, as the phone app uses it', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  const reject = await built.app.inject({
    method: 'POST',
    url: `/admin/users/${member.uuid}/reject`,
    headers: admin,
    payload: { reason: 'no' }
  })
  t.equal(reject.statusCode, 200)
  t.equal(reject.json().status, 'rejected')
  const approve = await built.app.inject({ method: 'POST', url: `/admin/users/${member.uuid}/approve`, headers: admin })
  t.equal(approve.statusCode, 200)
  t.equal(approve.json().status, 'approved')
})

const trailOf = async ({ ports }: Built, id: string) =>
  (await ports.audit.list({ memberId: id, limit: 100 })).filter(entry => entry.actor.kind === 'staff')

t.test('undo within two minutes: by whoever decided or an admin; the member goes back as they were', async (t) => {
  const built = await buildTestApp(t)
  const reviewer = await staffSession(built, 'reviewer', 'en')
  const colleague = await staffSession(built, 'reviewer', 'en')
  const lead = await staffSession(built, 'admin', 'en')
  const member = await pendingMember(built)
  const undoForm = `/console/members/${member.uuid}/undo`

  let version = hiddenField((await reviewer.page(member.uuid)).body, 'version')!
  t.equal((await reviewer.post(member.uuid, 'approve', { version })).statusCode, 303)
  const decided = await reviewer.page(member.uuid, '?done=approved')
  t.match(decided.body, 'Approved.', 'the notice names the decision')
  t.match(decided.body, undoForm, 'the one who decided is offered undo')
  t.notMatch((await colleague.page(member.uuid)).body, undoForm, 'another reviewer is not')
  t.match((await lead.page(member.uuid)).body, undoForm, 'an admin is')
  version = hiddenField(decided.body, 'version')!
  t.equal((await colleague.post(member.uuid, 'undo', { version })).statusCode, 400, "a colleague's undo is refused")
  t.equal(await statusOf(built, member.id), 'approved')

  built.ports.clock.advance(60_000)
  const undone = await reviewer.post(member.uuid, 'undo', { version })
  t.equal(undone.statusCode, 303)
  t.equal(await statusOf(built, member.id), 'pending', 'back to pending')
  t.equal((await built.ports.accounts.findById(member.id))?.decidedAt, null)
  const entry = (await trailOf(built, member.id)).find(item => item.action === 'member.decision_undone')
  t.match(entry?.detail, { undid: 'member.approved', to: 'pending.none' }, 'the undo has its own entry')
  t.equal(
    (await built.app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } }))
      .statusCode,
    406,
    'a pending member gets no code again'
  )
  const again = await reviewer.page(member.uuid)
  t.notMatch(again.body, undoForm, 'an undo is not undone')

  // Rejected, then approved again (its own action), then that undone: rejected with the reason.
  version = hiddenField(again.body, 'version')!
  t.equal((await reviewer.post(member.uuid, 'reject', { version, reason: 'Blurry ID' })).statusCode, 303)
  const rejected = await lead.page(member.uuid)
  t.match(rejected.body, `/console/members/${member.uuid}/reapprove`, 'a rejected member offers approve again')
  t.notMatch(rejected.body, `/console/members/${member.uuid}/approve"`, 'not a plain approve')
  version = hiddenField(rejected.body, 'version')!
  t.equal((await lead.post(member.uuid, 'approve', { version })).statusCode, 400, 'approve is for pending members')
  built.ports.clock.advance(3 * 60_000)
  t.notMatch((await reviewer.page(member.uuid)).body, undoForm, 'the rejection is past its two minutes')
  t.equal((await lead.post(member.uuid, 'reapprove', { version })).statusCode, 303)
  t.equal(await statusOf(built, member.id), 'approved')
  const actions = (await trailOf(built, member.id)).map(item => item.action)
  t.equal(actions[0], 'member.reapproved', 're-approval is on the trail as itself')
  version = hiddenField((await lead.page(member.uuid)).body, 'version')!
  t.equal((await lead.post(member.uuid, 'undo', { version })).statusCode, 303)
  const back = await built.ports.accounts.findById(member.id)
  t.equal(back?.status, 'rejected', 'undoing the re-approval rejects again')
  t.equal(back?.rejectionReason, 'Blurry ID', 'with the reason it had')

  built.ports.clock.advance(60_000)
  version = hiddenField((await lead.page(member.uuid)).body, 'version')!
  t.equal((await lead.post(member.uuid, 'reapprove', { version })).statusCode, 303)
  built.ports.clock.advance(121_000)
  version = hiddenField((await lead.page(member.uuid)).body, 'version')!
  t.equal((await lead.post(member.uuid, 'undo', { version })).statusCode, 400, 'past two minutes, even for an admin')
  t.equal(await statusOf(built, member.id), 'approved')
})

t.test('after a decision, the next pending member is one link away (oldest first, never this one)', async (t) => {
  const built = await buildTestApp(t)
  const reviewer = await staffSession(built, 'reviewer', 'en')
  const members = []
  for (let index = 0; index < 3; index++) {
    members.push(await pendingMember(built))
    built.ports.clock.advance(1000)
  }
  const [oldest, middle, newest] = members as [typeof members[0], typeof members[0], typeof members[0]]
  const nextOf = (html: string) =>
    /<a class="button" href="\/console\/members\/([^"]+)" data-shortcut="next"/.exec(html)?.[1]

  const open = await reviewer.page(middle.uuid)
  t.equal(nextOf(open.body), undefined, 'a pending member before any decision: no next link yet')
  t.match(open.body, 'data-shortcut="approve"', 'the approve button is marked for the keyboard')
  t.match(open.body, 'data-shortcut="reject"', 'and reject')
  const decide = async (member: typeof oldest) => {
    const version = hiddenField((await reviewer.page(member.uuid)).body, 'version')!
    const res = await reviewer.post(member.uuid, 'approve', { version })
    return (await reviewer.page(member.uuid, `?${res.headers.location!.split('?')[1]!}`)).body
  }
  t.equal(nextOf(await decide(middle)), oldest.uuid, 'the oldest other pending member')
  t.equal(nextOf(await decide(oldest)), newest.uuid, 'then the next')
  const last = await decide(newest)
  t.equal(nextOf(last), undefined)
  t.match(last, 'No other member is pending.')
})

t.test('what cannot be undone sits in its own warning section, apart from approve again', async (t) => {
  const built = await buildTestApp(t)
  const lead = await staffSession(built, 'admin', 'en')
  const member = await pendingMember(built)
  const version = hiddenField((await lead.page(member.uuid)).body, 'version')!
  t.equal((await lead.post(member.uuid, 'reject', { version, reason: 'Not a real ID' })).statusCode, 303)
  const page = (await lead.page(member.uuid)).body
  const section = (name: string) => {
    const start = page.indexOf(`<section class="card ${name}"`)
    return start < 0 ? '' : page.slice(start, page.indexOf('</section>', start))
  }
  t.match(section('deciding'), '/reapprove"', 'approve again is among the decisions')
  t.notMatch(section('deciding'), 'purge-files', 'the deletion is not')
  t.match(section('irreversible'), '/purge-files"', 'the deletion has its own section')
  t.match(section('irreversible'), 'Cannot be undone', 'titled as a warning')
  t.notMatch(section('irreversible'), 'reapprove')
  t.ok(page.indexOf('class="card deciding"') < page.indexOf('class="card irreversible"'), 'after the decisions')
})

t.test('rejection reasons from a catalog admins manage: the member gets the text in their language', async (t) => {
  const built = await buildTestApp(t)
  const lead = await staffSession(built, 'admin', 'en')
  const reviewer = await staffSession(built, 'reviewer', 'ko')
  t.equal((await built.app.inject({ method: 'GET', url: '/console/reasons' })).statusCode, 303, 'signed out: sign in')

  // The admin adds two reasons; a blank text is refused.
  const add = (fields: Record<string, string>) => lead.postTo('/console/reasons', fields)
  t.equal((await add({ ko: '  ', en: 'Blank Korean' })).statusCode, 400)
  t.equal((await add({ ko: '신분증 사진이 흐립니다', en: 'The ID photo is blurred' })).statusCode, 303)
  t.equal((await add({ ko: '본인 명의가 아닙니다', en: 'Not in your name' })).statusCode, 303)
  const listed = await built.ports.rejectionReasons.list()
  t.equal(listed.length, 2)
  const blurred = listed.find(reason => reason.en === 'The ID photo is blurred')!
  const notYours = listed.find(reason => reason.en === 'Not in your name')!
  const reasonsPage = await lead.get('/console/reasons')
  t.equal(reasonsPage.statusCode, 200)
  t.match(reasonsPage.body, 'The ID photo is blurred')
  t.equal((await reviewer.get('/console/reasons')).statusCode, 403, 'reviewers do not manage reasons')

  // The reject form offers them, in the reviewer's language.
  const english = await pendingMember(built, 'en-US')
  const korean = await pendingMember(built, 'ko-KR')
  const form = await reviewer.page(english.uuid)
  t.match(form.body, '>직접 입력</option>', 'free text alone is a choice')
  t.match(form.body, '신분증 사진이 흐립니다')
  const presetOf = (html: string, text: string) =>
    new RegExp(`<option value="([^"]+)">${text}</option>`).exec(html)?.[1]
  const blurredId = presetOf(form.body, '신분증 사진이 흐립니다')!

  // The English member gets the English text and the free text; the Korean member the Korean text alone.
  let version = hiddenField(form.body, 'version')!
  t.equal(
    (await reviewer.post(english.uuid, 'reject', { version, preset: blurredId, reason: 'Please upload it again.' }))
      .statusCode,
    303
  )
  t.equal(
    (await built.ports.accounts.findById(english.id))?.rejectionReason,
    'The ID photo is blurred\nPlease upload it again.'
  )
  version = hiddenField((await reviewer.page(korean.uuid)).body, 'version')!
  t.equal((await reviewer.post(korean.uuid, 'reject', { version, preset: blurredId })).statusCode, 303)
  t.equal((await built.ports.accounts.findById(korean.id))?.rejectionReason, '신분증 사진이 흐립니다')
  const api = await built.app.inject({ method: 'GET', url: `/admin/users/${korean.uuid}`, headers: admin })
  t.equal(api.json().rejection_reason, '신분증 사진이 흐립니다', 'the admin API answers it as before, one string')
  const entry = (await trailOf(built, korean.id)).find(item => item.action === 'member.rejected')
  t.equal(entry?.reason, '신분증 사진이 흐립니다', 'the trail has the reason the member got')

  // Edited and retired: no longer offered, and refused if a stale form still sends it.
  t.equal((await lead.postTo(`/console/reasons/${toShortUuid(notYours.id)}`, { ko: '타인 명의', en: 'Someone else' }))
    .statusCode, 303)
  t.match(await built.ports.rejectionReasons.find(notYours.id), { ko: '타인 명의', en: 'Someone else' })
  t.equal((await lead.postTo(`/console/reasons/${toShortUuid(blurred.id)}/retire`, {})).statusCode, 303)
  const third = await pendingMember(built)
  const later = await reviewer.page(third.uuid)
  t.notMatch(later.body, '신분증 사진이 흐립니다', 'a retired reason is not offered')
  t.match(later.body, '타인 명의')
  version = hiddenField(later.body, 'version')!
  t.equal((await reviewer.post(third.uuid, 'reject', { version, preset: blurredId })).statusCode, 400)
  t.equal(await statusOf(built, third.id), 'pending')
  t.equal((await reviewer.post(third.uuid, 'reject', { version })).statusCode, 400, 'no preset and no text')
  const changes = (await built.ports.audit.list({ limit: 200 })).filter(item => item.detail.kind === 'rejection_reason')
  t.same(
    changes.map(item => item.action).sort(),
    ['catalog.added', 'catalog.added', 'catalog.changed', 'catalog.changed'],
    'each change is on the trail'
  )
})

t.test('an internal note per member: staff see it with who wrote it and when; members never do', async (t) => {
  const built = await buildTestApp(t)
  const reviewer = await staffSession(built, 'reviewer', 'en')
  const lead = await staffSession(built, 'admin', 'en')
  const body = await withUploads(injectUploader(built.app), registration())
  const signedUp = await built.app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  const member = { uuid: signedUp.json().user.uuid as string, access: signedUp.json().access as string }
  const id = fromShortUuid(member.uuid)!
  const secret = 'Called the member: ID reissued <soon> & fine'

  t.match((await reviewer.page(member.uuid)).body, 'No note yet.')
  const saved = await reviewer.post(member.uuid, 'note', { note: secret })
  t.equal(saved.statusCode, 303)
  t.match(saved.headers.location, /done=noted/)
  const seen = await lead.page(member.uuid)
  t.match(seen.body, 'Called the member: ID reissued &lt;soon> &amp; fine', 'another staff member reads it, escaped')
  t.match(seen.body, reviewer.staff.email, 'with who wrote it')
  t.match(seen.body, /<textarea id="note"[^>]*>Called the member/, 'in the field, to edit')
  const entry = (await trailOf(built, id)).find(item => item.action === 'member.note_written')
  t.equal(entry?.reason, secret, 'each note is on the trail')
  t.equal(entry?.actor.kind === 'staff' && entry.actor.email, reviewer.staff.email)

  const me = await built.app.inject({
    method: 'GET',
    url: '/api/users/me/',
    headers: { authorization: `Bearer ${member.access}` }
  })
  const api = await built.app.inject({ method: 'GET', url: `/admin/users/${member.uuid}`, headers: admin })
  for (const [door, res] of [['the member', me], ['the admin API', api]] as const) {
    t.notMatch(res.body, 'ID reissued', `${door} never gets the note`)
  }
  t.equal((await lead.post(member.uuid, 'note', { note: 'x'.repeat(2001) })).statusCode, 400, 'too long')
  t.equal((await built.ports.memberNotes.find(id))?.text, secret, 'the note stays')
})
