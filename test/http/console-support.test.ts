import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { approvedMember, freshMobile } from '../helpers/phone-flows.js'

type Built = Awaited<ReturnType<typeof buildTestApp>>

const bearer = (access: string) => ({ authorization: `Bearer ${access}` })
const e164 = (national: string) => `+82${national.slice(1)}`

/** An approved member with a live token pair, and an admin signed in to the console. */
async function setUp (t: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const member = await approvedMember(app)
  const admin = await signInStaff(app, ports, await addStaff(ports, 'admin'))
  return { ...built, member, cookie: admin.cookie!, csrf: admin.csrf! }
}

const post = (built: Built & { cookie: string }, url: string, fields: Record<string, string>) =>
  built.app.inject({ method: 'POST', url, ...withCookie(form(fields), built.cookie) })

t.test('an admin changes a member\'s number: old tokens refused, the old number told, the trail first', async t => {
  const built = await setUp(t)
  const { app, ports, member, cookie, csrf, logs } = built
  const url = `/console/members/${member.uuid}`

  const memberPage = await app.inject({ method: 'GET', url, headers: { cookie } })
  t.match(memberPage.body, `href="${url}/support"`, 'the member page leads to support')

  const page = await app.inject({ method: 'GET', url: `${url}/support`, headers: { cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, member.mobile.replace(/^(\d{3})(\d{4})(\d{4})$/, '$1-$2-$3'), 'the number as written at home')
  t.match(page.body, /<table class="sessions">/, 'the sign-up\'s session is listed')
  t.match(page.body, `action="${url}/mobile"`)
  t.match(page.body, `action="${url}/sign-out-everywhere"`)

  const next = freshMobile()
  const sent = ports.sms.sent.length
  const res = await post(built, `${url}/mobile`, { _csrf: csrf, mobile: next, reason: '신분증 확인: 번호 분실' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${url}/support?done=mobile`)

  const entry = (await ports.audit.list({ limit: 100 })).find(e => e.action === 'member.mobile_changed')
  t.equal(entry!.actor.kind, 'staff')
  t.equal(entry!.reason, '신분증 확인: 번호 분실')
  t.same(Object.keys(entry!.detail).sort(), ['door', 'from', 'to'])

  t.equal((await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(member.access) })).statusCode, 401,
    'the member\'s old access token is refused')
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })).statusCode,
    401,
    'and their refresh token'
  )

  const notices = ports.sms.sent.slice(sent)
  t.same(notices.map(sms => sms.to), [e164(member.mobile)], 'one SMS, to the old number')
  t.notMatch(notices[0]!.body, /\d{6}/, 'carrying no code')
  t.notMatch(logs.text, notices[0]!.body, 'the notice never logged')
  t.notMatch(logs.text, e164(next), 'nor the new number')

  const after = await app.inject({ method: 'GET', url: `${url}/support?done=mobile`, headers: { cookie } })
  t.match(after.body, next.replace(/^(\d{3})(\d{4})(\d{4})$/, '$1-$2-$3'))
  t.match(after.body, 'role="status"', 'the notice')
  t.notMatch(after.body, /<table class="sessions">/, 'no session left')

  const signIn = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: next } })
  t.equal(signIn.statusCode, 200, 'the new number asks for a code')
})

t.test('refused number changes: 400 with the form as typed, nothing recorded', async t => {
  const built = await setUp(t)
  const { app, ports, member, csrf } = built
  const other = await approvedMember(app)
  const url = `/console/members/${member.uuid}/mobile`
  const before = (await ports.audit.list({ limit: 100 })).length
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['taken', { mobile: other.mobile, reason: 'ID checked' }, /다른 회원이 사용 중인 번호입니다/],
    ['invalid', { mobile: '010-12', reason: 'ID checked' }, /올바른 휴대폰 번호를 입력하세요/],
    ['reason required', { mobile: freshMobile(), reason: '  ' }, /사유를 입력하세요/],
    ['reason absent', { mobile: freshMobile() }, /사유를 입력하세요/]
  ]
  for (const [name, fields, text] of cases) {
    const res = await post(built, url, { _csrf: csrf, ...fields })
    t.equal(res.statusCode, 400, name)
    t.match(res.body, text, name)
    t.match(res.body, 'role="alert"', name)
    if (fields.mobile !== undefined) t.match(res.body, `value="${fields.mobile}"`, `${name}: the number as typed`)
    t.match(res.body, 'back=%2Fconsole%2Fqueue', `${name}: the language switch leads to a page, not back to the post`)
  }
  const tooLong = await post(built, url, { _csrf: csrf, mobile: '0'.repeat(41), reason: 'ID checked' })
  t.equal(tooLong.statusCode, 400, 'the schema\'s limit')
  t.equal((await ports.audit.list({ limit: 100 })).length, before, 'nothing recorded')
  t.equal((await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(member.access) })).statusCode, 200,
    'the member still signed in')
})

t.test('a reviewer, a forged form, no session: refused before anything happens', async t => {
  const built = await setUp(t)
  const { app, ports, member } = built
  const reviewer = await signInStaff(app, ports, await addStaff(ports, 'reviewer'))
  const url = `/console/members/${member.uuid}`
  const fields = { mobile: freshMobile(), reason: 'ID checked' }
  const asReviewer = { ...built, cookie: reviewer.cookie! }
  t.equal((await app.inject({ method: 'GET', url: `${url}/support`, headers: { cookie: reviewer.cookie! } }))
    .statusCode, 403)
  t.equal((await post(asReviewer, `${url}/mobile`, { _csrf: reviewer.csrf!, ...fields })).statusCode, 403)
  t.equal((await post(asReviewer, `${url}/sign-out-everywhere`, { _csrf: reviewer.csrf! })).statusCode, 403)
  const memberPage = await app.inject({ method: 'GET', url, headers: { cookie: reviewer.cookie! } })
  t.notMatch(memberPage.body, `${url}/support`, 'a reviewer is not led to support')
  t.equal((await post(built, `${url}/mobile`, { _csrf: 'forged', ...fields })).statusCode, 403, 'CSRF')
  t.equal((await app.inject({ method: 'POST', url: `${url}/mobile`, ...form(fields) })).statusCode, 401)
  const unknown = await post(built, '/console/members/nosuchmember/mobile', { _csrf: built.csrf, ...fields })
  t.equal(unknown.statusCode, 404)
  t.equal((await ports.audit.list({ limit: 100 })).filter(e => e.action === 'member.mobile_changed').length, 0)
})

t.test('sign out everywhere: audited under the admin, the member\'s tokens refused', async t => {
  const built = await setUp(t)
  const { app, ports, member, cookie, csrf } = built
  const url = `/console/members/${member.uuid}`
  const res = await post(built, `${url}/sign-out-everywhere`, { _csrf: csrf })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${url}/support?done=signed-out`)
  const entry = (await ports.audit.list({ limit: 100 })).find(e => e.action === 'member.signed_out_everywhere')
  t.equal(entry!.actor.kind, 'staff')
  t.equal((await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(member.access) })).statusCode, 401)
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })).statusCode,
    401
  )
  const page = await app.inject({ method: 'GET', url: res.headers.location!, headers: { cookie } })
  t.notMatch(page.body, /<table class="sessions">/)
})
