import t from 'tap'
import type { AuditLog } from '../../src/application/ports/records/audit-log.js'
import { FILE_VIEW_WINDOW_SECONDS } from '../../src/application/review/file-views.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, signInStaff } from '../helpers/console-flows.js'
import { injectUploader, registration, withUploads } from '../helpers/phone-flows.js'

// The file viewer: images through the console's own route (session, trail, then a short signed
// link), one member.file_viewed per staff member, member, file and visit, and a trail that cannot
// be read or written refuses the look.

type Built = Awaited<ReturnType<typeof buildTestApp>>

async function pendingMember ({ app }: Built) {
  const body = await withUploads(injectUploader(app), registration())
  const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  const uuid = res.json().user.uuid as string
  return { uuid, id: fromShortUuid(uuid)!, files: body.verification_files.length as number }
}

async function staffBrowser (built: Built, language = 'ko') {
  const staff = await addStaff(built.ports, 'reviewer')
  const { cookie } = await signInStaff(built.app, built.ports, staff)
  const get = (url: string) =>
    built.app.inject({ method: 'GET', url, headers: { cookie: cookie!, 'accept-language': language } })
  return { staff, get }
}

const views = async ({ ports }: Built, memberId: string) =>
  (await ports.audit.list({ memberId, actions: ['member.file_viewed'], limit: 100 })).reverse()

const minutes = (built: Built, count: number) => { built.ports.clock.advance(count * 60_000) }

t.test('one member.file_viewed per staff member, member and file within a visit window', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  const first = await staffBrowser(built)
  const base = `/console/members/${member.uuid}`

  t.equal((await first.get(base)).statusCode, 200)
  t.equal((await views(built, member.id)).length, member.files, 'the first look: one entry per file')
  for (const url of [base, `${base}/view/id-0`, `${base}/files/0`, `${base}/files/1`, base]) {
    t.equal((await first.get(url)).statusCode, url.includes('/files/') ? 303 : 200, url)
  }
  t.equal((await views(built, member.id)).length, member.files, 'reloads, the viewer and the images add nothing')

  // The window runs from the recorded look, not from the last page load (which keeps the session alive).
  minutes(built, 20)
  t.equal((await first.get(base)).statusCode, 200)
  t.equal((await views(built, member.id)).length, member.files, 'still within the window')
  minutes(built, FILE_VIEW_WINDOW_SECONDS / 60 - 20 + 1)
  t.equal((await first.get(base)).statusCode, 200)
  t.equal((await views(built, member.id)).length, member.files * 2, 'a new visit after the window')

  const second = await staffBrowser(built)
  t.equal((await second.get(`${base}/files/0`)).statusCode, 303)
  const recorded = await views(built, member.id)
  t.equal(recorded.length, member.files * 2 + 1, 'another staff member has a visit of their own, per file')
  const theirs = recorded.filter(entry => entry.actor.kind === 'staff' && entry.actor.staffId === second.staff.id)
  t.equal(theirs.length, 1)
  t.ok(typeof theirs[0]?.detail.key === 'string' && theirs[0].detail.key !== '', 'the entry names the file')
})

t.test('the file route: a session, then a redirect to a short signed link that serves the file', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  const { get } = await staffBrowser(built)
  const redirect = await get(`/console/members/${member.uuid}/files/0`)
  t.equal(redirect.statusCode, 303)
  const signed = new URL(redirect.headers.location!, 'http://localhost')
  const expires = Number(signed.searchParams.get('expires'))
  t.ok(expires > 0, 'a signed link')
  // The store rounds the expiry up to the second.
  t.ok(expires * 1000 - built.ports.clock.now().getTime() <= 61_000, 'living a minute at most')
  t.equal((await built.app.inject({ method: 'GET', url: signed.pathname + signed.search })).statusCode, 200)
  t.equal((await get(`/console/members/${member.uuid}/files/7`)).statusCode, 404, 'no such file')
  t.equal((await get('/console/members/nobody/files/0')).statusCode, 404, 'no such member')
  const anonymous = await built.app.inject({ method: 'GET', url: `/console/members/${member.uuid}/files/0` })
  t.equal(anonymous.statusCode, 303)
  t.equal(anonymous.headers.location, '/console/sign-in', 'no session: no file')
})

t.test('the viewer page: the file large, its tools in a script of its own, the other files beside it', async (t) => {
  const built = await buildTestApp(t)
  const member = await pendingMember(built)
  const { get } = await staffBrowser(built, 'en')
  const page = await get(`/console/members/${member.uuid}/view/id-1`)
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-security-policy'], /script-src 'self'/)
  t.match(page.body, `<img id="viewer-image" src="/console/members/${member.uuid}/files/1" alt="ID file 2 of 2"`)
  t.match(page.body, 'id="viewer-tools" class="viewer-tools" role="toolbar" aria-label="Viewer tools" hidden')
  t.match(page.body, `href="/console/members/${member.uuid}/view/id-0"`, 'the other verification file')
  t.match(page.body, `href="/console/members/${member.uuid}/view/avatar"`, 'and the photos')
  const scripts = [...page.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)]
  const isFile = ([, attributes, body]: RegExpMatchArray) => /src="\/console\/assets\//.test(attributes!) && body === ''
  t.ok(scripts.length > 0 && scripts.every(isFile), 'scripts are files of the console, nothing inline')
  const viewer = scripts.find(([, attributes]) => /file-viewer\.js\?v=[\w-]{16}"/.test(attributes!))
  t.ok(viewer, 'the viewer\'s own script')
  const src = /src="([^"]+)"/.exec(viewer![1]!)![1]!.replaceAll('&amp;', '&')
  const script = await built.app.inject({ method: 'GET', url: src })
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], 'text/javascript')
  t.match(script.body, 'style.transform')
  t.equal(
    (await built.app.inject({ method: 'GET', url: src, headers: { 'if-none-match': script.headers.etag! } }))
      .statusCode,
    304
  )

  const korean = await staffBrowser(built, 'ko')
  const avatar = await korean.get(`/console/members/${member.uuid}/view/avatar`)
  t.equal(avatar.statusCode, 200)
  t.match(avatar.body, 'alt="아바타"')
  t.match(avatar.body, '신분증 1 / 2', 'the captions say kind and order')
  t.equal((await korean.get(`/console/members/${member.uuid}/view/id-9`)).statusCode, 404)
  t.equal((await korean.get(`/console/members/${member.uuid}/view/passport`)).statusCode, 400)

  const memberPage = await korean.get(`/console/members/${member.uuid}`)
  t.match(memberPage.body, `<code id="member-uuid" aria-describedby="member-uuid-help">${member.uuid}</code>`)
  t.match(memberPage.body, `href="/console/members/${member.uuid}/view/id-0" aria-label="신분증 1 / 2 크게 보기"`)
  t.notMatch(memberPage.body, 'signature=', 'no signed link on a page')
})

t.test('a trail that cannot be read or written: the look is refused (503) and no link leaves', async (t) => {
  const audit = createMemoryAuditLog(randomIds)
  let down: 'append' | 'list' | null = null
  const trail: AuditLog = {
    ...audit,
    append: async entry => {
      if (down === 'append') throw new Error('audit store down')
      await audit.append(entry)
    },
    list: async filter => {
      if (down === 'list') throw new Error('audit store down')
      return audit.list(filter)
    }
  }
  const built = await buildTestApp(t, { audit: trail })
  const member = await pendingMember(built)
  const { get } = await staffBrowser(built)
  for (const failing of ['append', 'list'] as const) {
    down = failing
    for (const url of [`/console/members/${member.uuid}/files/0`, `/console/members/${member.uuid}/view/id-0`]) {
      const res = await get(url)
      t.equal(res.statusCode, 503, `${failing} fails: ${url}`)
      t.equal(res.headers.location, undefined)
      t.notMatch(res.body, 'signature=')
    }
  }
  down = null
  t.equal((await get(`/console/members/${member.uuid}/files/0`)).statusCode, 303, 'back once the trail is')
  t.equal((await views(built, member.id)).length, 1, 'the look that was let through is the one recorded')
})
