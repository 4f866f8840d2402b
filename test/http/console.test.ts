import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, cookieOf, form, hiddenField, signInStaff, totpCode, withCookie } from '../helpers/console-flows.js'
import { injectUploader, registration, withUploads } from '../helpers/phone-flows.js'

type Built = Awaited<ReturnType<typeof buildTestApp>>

async function pendingMember ({ app }: Built) {
  const body = await withUploads(injectUploader(app), registration())
  const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  return {
    uuid: res.json().user.uuid as string,
    mobile: body.mobile,
    access: res.json().access as string,
    refresh: res.json().refresh as string,
    body
  }
}

const staffActions = async ({ ports }: Built) =>
  (await ports.audit.list({ limit: 100 })).filter(entry => entry.actor.kind === 'staff').map(entry => entry.action)

t.test('a reviewer signs in with password and TOTP, finds a pending member, sees the files and approves', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const staff = await addStaff(ports, 'reviewer')
  const member = await pendingMember(built)

  const { cookie, csrf, factorPage, halfway, factor } = await signInStaff(app, ports, staff)
  t.match(
    factorPage.body,
    /<img class="qr" src="data:image\/svg\+xml;base64,/,
    'the first sign-in shows the enrolment QR'
  )
  t.match(factorPage.body, staff.secret, 'and the key for manual entry')
  t.equal(factor.statusCode, 303)
  t.equal(factor.headers.location, '/console/queue')
  t.not(cookie, halfway, 'the second factor rotates the session id')
  t.match(factor.headers['set-cookie'], /HttpOnly; SameSite=Strict/)
  t.equal(
    (await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: halfway! } })).statusCode,
    303,
    'the id before sign-in is dead'
  )

  const queue = await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: cookie! } })
  t.equal(queue.statusCode, 200)
  t.match(queue.headers['content-type'], 'text/html')
  t.match(queue.headers['content-security-policy'], /default-src 'none'/)
  t.equal(queue.headers['x-frame-options'], 'DENY')
  t.match(queue.body, `/console/members/${member.uuid}`)
  t.notMatch(queue.body, cookie!.split('=')[1]!, 'no page carries the session id')
  const byNumber = await app.inject({
    method: 'GET',
    url: `/console/queue?q=${encodeURIComponent(member.mobile.replace(/^0(\d\d)(\d{4})(\d{4})$/, '+82 $1-$2-$3'))}`,
    headers: { cookie: cookie! }
  })
  t.match(byNumber.body, `/console/members/${member.uuid}`, 'a number typed another way finds the member')
  const nobody = await app.inject({
    method: 'GET',
    url: '/console/queue?q=nobody-like-this',
    headers: { cookie: cookie! }
  })
  t.notMatch(nobody.body, `/console/members/${member.uuid}`)

  const page = await app.inject({ method: 'GET', url: `/console/members/${member.uuid}`, headers: { cookie: cookie! } })
  t.equal(page.statusCode, 200)
  t.match(
    page.body,
    member.mobile.replace(/^(\d{3})(\d{4})(\d{4})$/, '$1-$2-$3'),
    'the number as people write it (010-5550-1234), as in the queue'
  )
  const images = [...page.body.matchAll(/<img src="([^"]+)" alt class="thumbnail verification"/g)].map(match =>
    match[1]!.replaceAll('&amp;', '&')
  )
  t.equal(images.length, member.body.verification_files.length)
  t.notMatch(page.body, 'signature=', 'the page holds no signed link, only the console\'s own file route')
  const redirect = await app.inject({ method: 'GET', url: images[0]!, headers: { cookie: cookie! } })
  t.equal(redirect.statusCode, 303, 'the file route redirects to a fresh signed link')
  const signed = new URL(redirect.headers.location!, 'http://localhost')
  const image = await app.inject({ method: 'GET', url: signed.pathname + signed.search })
  t.equal(image.statusCode, 200, 'the signed link serves the file')
  const anonymous = await app.inject({ method: 'GET', url: images[0]! })
  t.equal(anonymous.headers.location, '/console/sign-in', 'not without a session')

  const approved = await app.inject({
    method: 'POST',
    url: `/console/members/${member.uuid}/approve`,
    ...withCookie(form({ _csrf: csrf! }), cookie!)
  })
  t.equal(approved.statusCode, 303)
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })).statusCode,
    200,
    'the member can now get a code'
  )
  t.same(
    (await staffActions(built)).sort(),
    ['member.approved', ...images.map(() => 'member.file_viewed'), 'staff.sign_in'].sort(),
    'the page and its images in one visit: one look per file'
  )
})

t.test(
  'refusals: no session, ended session, wrong TOTP, replayed TOTP, missing CSRF, foreign origin, wrong role',
  async t => {
    const built = await buildTestApp(t)
    const { app, ports } = built
    const reviewer = await addStaff(ports, 'reviewer')
    const member = await pendingMember(built)

    const none = await app.inject({ method: 'GET', url: '/console/queue' })
    t.equal(none.statusCode, 303)
    t.equal(none.headers.location, '/console/sign-in')
    t.equal(
      (await app.inject({ method: 'POST', url: `/console/members/${member.uuid}/approve`, ...form({ _csrf: 'x' }) }))
        .statusCode,
      401
    )

    const wrong = await signInStaff(app, ports, reviewer, '000000')
    t.equal(wrong.factor.statusCode, 401, 'a wrong code')
    t.match(wrong.factor.body, '인증 코드가 올바르지 않습니다.')
    t.equal(wrong.cookie, null)

    const { cookie, csrf } = await signInStaff(app, ports, reviewer)
    t.ok(cookie)
    const replay = await signInStaff(app, ports, reviewer, totpCode(reviewer.secret, ports.clock.now()))
    t.equal(replay.factor.statusCode, 401, 'the same code twice is refused')

    const noCsrf = await app.inject({
      method: 'POST',
      url: `/console/members/${member.uuid}/approve`,
      ...withCookie(form({}), cookie!)
    })
    t.equal(noCsrf.statusCode, 403)
    const badCsrf = await app.inject({
      method: 'POST',
      url: `/console/members/${member.uuid}/approve`,
      ...withCookie(form({ _csrf: csrf!.slice(0, -1) + (csrf!.endsWith('A') ? 'B' : 'A') }), cookie!)
    })
    t.equal(badCsrf.statusCode, 403)
    const foreign = await app.inject({
      method: 'POST',
      url: `/console/members/${member.uuid}/approve`,
      ...withCookie(form({ _csrf: csrf! }), cookie!),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie!, origin: 'https://evil.example' }
    })
    t.equal(foreign.statusCode, 403)
    t.equal(
      (await ports.accounts.findByMobile(('+82' + member.mobile.slice(1)) as never))?.status,
      'pending',
      'nothing was approved'
    )

    for (const url of ['/console/staff', '/console/catalogs', '/console/audit']) {
      t.equal(
        (await app.inject({ method: 'GET', url, headers: { cookie: cookie! } })).statusCode,
        403,
        `a reviewer is refused ${url}`
      )
    }
    const purge = await app.inject({
      method: 'POST',
      url: `/console/members/${member.uuid}/purge-files`,
      ...withCookie(form({ _csrf: csrf! }), cookie!)
    })
    t.equal(purge.statusCode, 403)

    ports.clock.advance(31 * 60_000)
    const idle = await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: cookie! } })
    t.equal(idle.statusCode, 303, 'idle for 31 minutes: signed out')
    t.match(idle.headers['set-cookie'], /Max-Age=0/)

    const again = await signInStaff(app, ports, reviewer)
    for (let hour = 0; hour < 12; hour++) {
      ports.clock.advance(25 * 60_000)
      await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: again.cookie! } })
      ports.clock.advance(25 * 60_000)
      await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: again.cookie! } })
      ports.clock.advance(10 * 60_000)
    }
    t.equal(
      (await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: again.cookie! } })).statusCode,
      303,
      'busy for 12 hours: signed out all the same'
    )
  }
)

t.test('wrong passwords and a disabled account are one answer; the password step is limited', async (t) => {
  const built = await buildTestApp(t, {}, { limits: { ...(await import('../helpers/build-test-app.js')).LIMITS_ON } })
  const { app, ports } = built
  const staff = await addStaff(ports, 'reviewer')
  const attempt = async (password: string) => {
    const page = await app.inject({ method: 'GET', url: '/console/sign-in' })
    const pre = cookieOf(page.headers['set-cookie'], 'console-pre')!
    return app.inject({
      method: 'POST',
      url: '/console/sign-in',
      ...withCookie(form({ email: staff.email, password, _pre: hiddenField(page.body, '_pre')! }), pre)
    })
  }
  const noPre = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    ...form({ email: staff.email, password: staff.password })
  })
  t.equal(noPre.statusCode, 403, 'a sign-in form without its double-submit token (login CSRF)')
  const wrong = await attempt('not the password')
  t.equal(wrong.statusCode, 401)
  t.match(wrong.body, '이메일 또는 비밀번호가 올바르지 않습니다.')
  for (let i = 0; i < 4; i++) await attempt('not the password')
  const stopped = await attempt(staff.password)
  t.equal(stopped.statusCode, 429, 'five failures stop the address, the right password included')
  t.ok(Number(stopped.headers['retry-after']) > 0)
  t.same((await ports.audit.list({ limit: 20 })).filter((entry) => entry.action === 'staff.sign_in_failed').length, 5)
})

t.test(
  'an admin rejects with a reason, purges files, disables a reviewer, edits catalogs and reads the trail (English)',
  async t => {
    const built = await buildTestApp(t)
    const { app, ports } = built
    const admin = await addStaff(ports, 'admin')
    const reviewer = await addStaff(ports, 'reviewer')
    const member = await pendingMember(built)
    const english = { 'accept-language': 'en' }
    const { cookie, csrf } = await signInStaff(app, ports, admin)
    const post = (url: string, fields: Record<string, string>) =>
      app.inject({ method: 'POST', url, ...withCookie(form({ _csrf: csrf!, ...fields }), cookie!) })

    t.equal(
      (await post(`/console/members/${member.uuid}/purge-files`, {})).statusCode,
      400,
      "a pending member's files stay"
    )
    t.equal(
      (await post(`/console/members/${member.uuid}/reject`, { reason: '  ' })).statusCode,
      400,
      'a rejection needs a reason'
    )
    const rejected = await post(`/console/members/${member.uuid}/reject`, { reason: '사진이 흐립니다' })
    t.equal(rejected.statusCode, 303)
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })).json()
        .code,
      '1005',
      "the rejected member's tokens end"
    )
    const page = await app.inject({
      method: 'GET',
      url: `/console/members/${member.uuid}`,
      headers: { cookie: cookie!, ...english }
    })
    t.match(page.body, 'Approve again')
    t.match(page.body, '사진이 흐립니다')
    t.match(page.body, 'member.rejected', 'the history shows the decision')
    const purged = await post(`/console/members/${member.uuid}/purge-files`, {})
    t.equal(purged.statusCode, 303)
    const id = (await ports.accounts.findByMobile(('+82' + member.mobile.slice(1)) as never))!.id
    t.same(
      (await ports.accounts.findProfileById(id))?.profile?.verificationFiles,
      [],
      'the files are gone from the member'
    )
    t.equal(
      (await ports.fileDeletions.dueFileDeletions(ports.clock.now(), 10)).length,
      member.body.verification_files.length,
      'and queued for deletion from storage'
    )

    const reviewerSession = await signInStaff(app, ports, reviewer)
    t.equal((await post(`/console/staff/${reviewer.id}/disable`, {})).statusCode, 303)
    t.equal(
      (await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: reviewerSession.cookie! } }))
        .statusCode,
      303,
      'a disabled reviewer is signed out at once'
    )
    t.equal(
      (await post(`/console/staff/${admin.id}/disable`, {})).statusCode,
      400,
      'an admin cannot disable themselves'
    )
    t.equal((await post(`/console/staff/${reviewer.id}/enable`, {})).statusCode, 303)
    t.equal((await post(`/console/staff/${reviewer.id}/reset-second-factor`, {})).statusCode, 303)
    t.equal((await ports.staff.findById(reviewer.id))?.totpEnrolled, false, 'the reset reviewer enrols again')

    const added = await post('/console/catalogs/interests', { name: '테스트취미', emoji: '🥾', image: '' })
    t.equal(added.statusCode, 303, added.body.replace(/[\s\S]*<main>/, '').slice(0, 300))
    const hiking = (await ports.catalog.list('interest')).find(item => item.name === '테스트취미')!
    t.ok(hiking)
    const { toShortUuid } = await import('../../src/domain/short-uuid.js')
    const renamed = await post(`/console/catalogs/interests/${toShortUuid(hiking.id)}`, {
      name: '테스트취미2',
      emoji: '⛰️',
      image: 'images/interests/hiking.jpeg'
    })
    t.equal(renamed.statusCode, 303, renamed.body.slice(-600))
    t.same((await ports.catalog.findByIds('interest', [hiking.id]))[0], {
      id: hiking.id,
      name: '테스트취미2',
      emoji: '⛰️',
      imageKey: 'images/interests/hiking.jpeg'
    })
    t.equal(
      (await post('/console/catalogs/interests', { name: '테스트취미2', emoji: '⛰️' })).statusCode,
      400,
      'a taken name'
    )
    const catalogs = await app.inject({
      method: 'GET',
      url: '/console/catalogs',
      headers: { cookie: cookie!, ...english }
    })
    t.match(catalogs.body, '테스트취미2')

    const trail = await app.inject({
      method: 'GET',
      url: `/console/audit?member=${member.uuid}`,
      headers: { cookie: cookie!, ...english }
    })
    t.equal(trail.statusCode, 200)
    t.match(trail.body, 'data-action="member.files_purged">ID files deleted<')
    t.notMatch(trail.body, 'data-action="staff.disabled"', 'filtered by member')
    const byStaff = await app.inject({
      method: 'GET',
      url: `/console/audit?staff=${reviewer.id}`,
      headers: { cookie: cookie! }
    })
    t.match(byStaff.body, 'data-action="staff.disabled"')
    t.match(byStaff.body, 'data-action="staff.second_factor_reset"')
    const all = JSON.stringify(await ports.audit.list({ limit: 200 }))
    for (const secret of [
      admin.password,
      reviewer.password,
      admin.secret,
      reviewer.secret,
      cookie!.split('=')[1]!,
      csrf!
    ]) { t.notMatch(all, secret, 'no secret on the trail') }
  }
)

t.test('sign-out ends the session; the stylesheet is served', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const staff = await addStaff(ports, 'reviewer')
  const { cookie, csrf } = await signInStaff(app, ports, staff)
  const out = await app.inject({
    method: 'POST',
    url: '/console/sign-out',
    ...withCookie(form({ _csrf: csrf! }), cookie!)
  })
  t.equal(out.statusCode, 303)
  t.equal((await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: cookie! } })).statusCode, 303)
  t.ok((await staffActions(built)).includes('staff.sign_out'))
  const css = await app.inject({ method: 'GET', url: '/console/assets/console.css' })
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], 'text/css')
})
