import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildTestApp, type TestPorts } from '../helpers/build-test-app.js'
import {
  addStaff,
  cookieOf,
  form,
  hiddenField,
  signInStaff,
  totpCode,
  withCookie,
  type TestStaff
} from '../helpers/console-flows.js'

const STEP_MS = 30_000
const NEW_PASSWORD = 'my own new password'
const english = { 'accept-language': 'en' }

/** Moves the clock a TOTP step on, so the next code is one not used yet, and answers it. */
function nextCode (ports: TestPorts, member: TestStaff): string {
  ports.clock.advance(STEP_MS)
  return totpCode(member.secret, ports.clock.now())
}

/** A console form post with the session's cookie and CSRF token, in English. */
function post (app: FastifyInstance, cookie: string, csrf: string, url: string, fields: Record<string, string> = {}) {
  const request = withCookie(form({ _csrf: csrf, ...fields }), cookie)
  return app.inject({ method: 'POST', url, ...request, headers: { ...request.headers, ...english } })
}

const get = (app: FastifyInstance, cookie: string, url: string) =>
  app.inject({ method: 'GET', url, headers: { cookie, ...english } })

/** Signs in and checks it worked; the clock moves a step first, so each sign-in has a fresh code. */
async function signedIn (app: FastifyInstance, ports: TestPorts, member: TestStaff) {
  ports.clock.advance(STEP_MS)
  const session = await signInStaff(app, ports, member)
  if (session.cookie === null || session.csrf === null) throw new Error(`sign-in failed: ${session.factor.statusCode}`)
  return { cookie: session.cookie, csrf: session.csrf }
}

/** Whether the password step takes this password (the second step is not needed to know). */
async function passwordWorks (app: FastifyInstance, email: string, password: string): Promise<boolean> {
  const page = await app.inject({ method: 'GET', url: '/console/sign-in' })
  const pre = cookieOf(page.headers['set-cookie'], 'console-pre')!
  const answer = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    ...withCookie(form({ email, password, _pre: hiddenField(page.body, '_pre')! }), pre)
  })
  return answer.statusCode === 303
}

const staffEntries = async (ports: TestPorts) =>
  (await ports.audit.list({ limit: 200 })).filter(entry => entry.action.startsWith('staff.password'))

t.test('a staff member changes their password: refusals change nothing, then every other session ends', async t => {
  const { app, ports } = await buildTestApp(t)
  const reviewer = await addStaff(ports, 'reviewer')
  const here = await signedIn(app, ports, reviewer)
  const elsewhere = await signedIn(app, ports, reviewer)

  const page = await get(app, here.cookie, '/console/password')
  t.equal(page.statusCode, 200)
  t.match(page.body, '<form method="post" action="/console/password"')
  for (const name of ['current', 'next', 'repeat']) {
    t.match(page.body, new RegExp(`name="${name}" type="password"[^>]*maxLength="1024"`, 'i'), `${name}: the limit`)
  }
  t.match(page.body, /name="code"[^>]*maxLength="7"/i)
  t.match(page.body, 'href="/console/password"', 'the menu links to it')
  t.equal(hiddenField(page.body, '_csrf'), here.csrf)

  const change = (fields: Record<string, string>) =>
    post(app, here.cookie, here.csrf, '/console/password', {
      current: reviewer.password,
      next: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
      code: nextCode(ports, reviewer),
      ...fields
    })
  const wrongCurrent = await change({ current: 'not my password' })
  t.equal(wrongCurrent.statusCode, 401)
  t.match(wrongCurrent.body, 'The current password is not correct.')
  const wrongCode = await change({ code: '000000' })
  t.equal(wrongCode.statusCode, 401)
  t.match(wrongCode.body, 'The code is not correct.')
  const mismatch = await change({ repeat: 'something else entirely' })
  t.equal(mismatch.statusCode, 400)
  t.match(mismatch.body, 'The two new passwords do not match.')
  const short = await change({ next: 'short', repeat: 'short' })
  t.equal(short.statusCode, 400)
  t.match(short.body, 'at least 8 characters')
  const same = await change({ next: reviewer.password, repeat: reviewer.password })
  t.equal(same.statusCode, 400)
  t.match(same.body, 'must differ from the current one')
  const tooLong = await change({ next: 'x'.repeat(1025), repeat: 'x'.repeat(1025) })
  t.equal(tooLong.statusCode, 400, 'beyond the form limit: refused by the schema')
  for (const refused of [wrongCurrent, wrongCode, mismatch, short, same]) {
    t.notMatch(refused.body, reviewer.password, 'nothing typed is written back')
  }

  t.ok(await passwordWorks(app, reviewer.email, reviewer.password), 'after the refusals the password is unchanged')
  t.equal((await get(app, elsewhere.cookie, '/console/queue')).statusCode, 200, 'and no session ended')
  t.same(
    (await staffEntries(ports)).map(entry => `${entry.action} ${String(entry.detail.stage)}`).sort(),
    ['staff.password_change_failed password', 'staff.password_change_failed second_factor']
  )

  const changed = await change({})
  t.equal(changed.statusCode, 303)
  t.equal(changed.headers.location, '/console/password?done=1')
  const fresh = cookieOf(changed.headers['set-cookie'], 'console')
  t.ok(fresh, 'this browser gets a new session cookie')
  t.not(fresh, here.cookie)
  const done = await get(app, fresh!, changed.headers.location as string)
  t.equal(done.statusCode, 200)
  t.match(done.body, 'Your password was changed.')
  t.equal((await get(app, fresh!, '/console/queue')).statusCode, 200, 'and carries on signed in')
  for (const ended of [here, elsewhere]) {
    const answer = await get(app, ended.cookie, '/console/queue')
    t.equal(answer.statusCode, 303, 'the earlier sessions are gone')
    t.equal(answer.headers.location, '/console/sign-in')
  }
  t.notOk(await passwordWorks(app, reviewer.email, reviewer.password), 'the old password fails')
  t.ok(await passwordWorks(app, reviewer.email, NEW_PASSWORD), 'the new one works')
  const entries = await staffEntries(ports)
  t.equal(entries[0]?.action, 'staff.password_changed')
  t.same(entries[0]?.actor, { kind: 'staff', staffId: reviewer.id, email: reviewer.email })
  t.equal(entries[0]?.targetStaffId, reviewer.id)
})

t.test('an admin resets a password: shown once, old one fails, the new one opens only the change page', async t => {
  const { app, ports, logs } = await buildTestApp(t)
  const admin = await addStaff(ports, 'admin')
  const reviewer = await addStaff(ports, 'reviewer')
  const reviewing = await signedIn(app, ports, reviewer)
  const adminSession = await signedIn(app, ports, admin)

  const staffPage = await get(app, adminSession.cookie, '/console/staff')
  t.match(staffPage.body, `action="/console/staff/${reviewer.id}/reset-password"`)
  t.notMatch(staffPage.body, `action="/console/staff/${admin.id}/reset-password"`, 'not offered for oneself')

  const reset = await post(app, adminSession.cookie, adminSession.csrf, `/console/staff/${reviewer.id}/reset-password`)
  t.equal(reset.statusCode, 200)
  t.equal(reset.headers['cache-control'], 'no-store', 'no cache keeps the page')
  t.match(reset.body, reviewer.email)
  const oneTime = /One-time password: <code>([A-Za-z0-9_-]{24})<\/code>/.exec(reset.body)?.[1]
  t.ok(oneTime, 'the one-time password is on the page')
  t.notMatch(logs.text, oneTime!, 'and never in a log line')
  t.notMatch(JSON.stringify(await ports.audit.list({ limit: 200 })), oneTime!, 'nor on the trail')

  const ended = await get(app, reviewing.cookie, '/console/queue')
  t.equal(ended.statusCode, 303, "the reviewer's session is gone")
  t.equal(ended.headers.location, '/console/sign-in')
  t.equal((await get(app, adminSession.cookie, '/console/queue')).statusCode, 200, "the admin's is not")
  t.notOk(await passwordWorks(app, reviewer.email, reviewer.password), 'the old password fails')

  const staffAfter = await get(app, adminSession.cookie, '/console/staff')
  t.match(staffAfter.body, 'Must change password', 'the staff page shows who must change')

  // The one-time password and TOTP sign in, and then only the change page opens.
  ports.clock.advance(STEP_MS)
  const temporary = await signInStaff(app, ports, { ...reviewer, password: oneTime! })
  t.equal(temporary.factor.statusCode, 303)
  const cookie = temporary.cookie!
  for (const url of ['/console/queue', '/console/audit', '/console/staff']) {
    const answer = await get(app, cookie, url)
    t.equal(answer.statusCode, 303, `${url} is not reachable`)
    t.equal(answer.headers.location, '/console/password')
  }
  const page = await get(app, cookie, '/console/password')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'You signed in with a one-time password.')
  t.notMatch(page.body, 'href="/console/queue"', 'the menu offers nothing else')
  t.match(page.body, 'action="/console/sign-out"', 'but signing out')
  const csrf = hiddenField(page.body, '_csrf')!
  const approve = await post(app, cookie, csrf, '/console/members/00000000-0000-4000-8000-000000000000/approve')
  t.equal(approve.statusCode, 403, 'no other form is taken')
  t.match(approve.body, 'Change your password first.')

  const changed = await post(app, cookie, csrf, '/console/password', {
    current: oneTime!,
    next: NEW_PASSWORD,
    repeat: NEW_PASSWORD,
    code: nextCode(ports, reviewer)
  })
  t.equal(changed.statusCode, 303)
  const fresh = cookieOf(changed.headers['set-cookie'], 'console')!
  t.equal((await get(app, fresh, '/console/queue')).statusCode, 200, 'after the change the console opens')
  t.equal((await ports.staff.findById(reviewer.id))?.mustChangePassword, false)
  t.notOk(await passwordWorks(app, reviewer.email, oneTime!), 'the one-time password is spent')

  const entries = await staffEntries(ports)
  t.same(
    entries.map(entry => entry.action),
    ['staff.password_changed', 'staff.password_reset'],
    'newest first'
  )
  t.same(entries[1]?.actor, { kind: 'staff', staffId: admin.id, email: admin.email })
  t.equal(entries[1]?.targetStaffId, reviewer.id)
})

t.test('a reviewer cannot reset a password; an admin cannot reset their own', async t => {
  const { app, ports } = await buildTestApp(t)
  const admin = await addStaff(ports, 'admin')
  const reviewer = await addStaff(ports, 'reviewer')
  const reviewing = await signedIn(app, ports, reviewer)
  const adminSession = await signedIn(app, ports, admin)

  const byReviewer = await post(app, reviewing.cookie, reviewing.csrf, `/console/staff/${admin.id}/reset-password`)
  t.equal(byReviewer.statusCode, 403)
  t.match(byReviewer.body, 'You are not allowed to do this.')
  const self = await post(app, adminSession.cookie, adminSession.csrf, `/console/staff/${admin.id}/reset-password`)
  t.equal(self.statusCode, 400)
  t.match(self.body, 'You cannot do this to yourself.')
  const nobody = await post(
    app,
    adminSession.cookie,
    adminSession.csrf,
    '/console/staff/00000000-0000-4000-8000-000000000000/reset-password'
  )
  t.equal(nobody.statusCode, 404)

  t.ok(await passwordWorks(app, admin.email, admin.password), "the admin's password is unchanged")
  t.equal((await ports.staff.findById(admin.id))?.mustChangePassword, false)
  t.equal((await get(app, adminSession.cookie, '/console/queue')).statusCode, 200, 'and their session lives')
  t.same(await staffEntries(ports), [], 'nothing on the trail')
})

t.test('the change page speaks Korean by default', async t => {
  const { app, ports } = await buildTestApp(t)
  const reviewer = await addStaff(ports, 'reviewer')
  const { cookie } = await signedIn(app, ports, reviewer)
  const page = await app.inject({ method: 'GET', url: '/console/password', headers: { cookie } })
  t.match(page.body, '<h1>비밀번호 변경</h1>')
  t.match(page.body, '현재 비밀번호')
})
