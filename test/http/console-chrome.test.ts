import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, signInStaff } from '../helpers/console-flows.js'

t.test('every page: a skip link to the main content, the current page marked, the script from the console itself',
  async t => {
    const { app, ports } = await buildTestApp(t)
    const { cookie } = await signInStaff(app, ports, await addStaff(ports, 'admin'))
    const page = await app.inject({ method: 'GET', url: '/console/audit', headers: { cookie: cookie! } })
    t.equal(page.statusCode, 200)
    t.match(page.body, /<body><a class="skip-link" href="#main">/, 'the skip link first')
    t.match(page.body, '<main id="main" tabindex="-1">')
    t.match(page.body, '<a href="/console/audit" aria-current="page">')
    t.equal(page.body.match(/aria-current/g)?.length, 1, 'one page marked')
    t.match(page.body, '<details id="shortcuts"', 'the shortcut help')
    t.match(page.headers['content-security-policy'], /script-src 'self'/)
    t.notMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script')
    const src = /<script src="(\/console\/assets\/console\.js\?v=[\w-]+)"/.exec(page.body)?.[1]
    t.ok(src, 'the page loads the console script')

    const script = await app.inject({ method: 'GET', url: src! })
    t.equal(script.statusCode, 200)
    t.match(script.headers['content-type'], 'text/javascript')
    t.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable')
    t.match(script.body, 'data-shortcut')
    const again = await app.inject({ method: 'GET', url: src!, headers: { 'if-none-match': script.headers.etag! } })
    t.equal(again.statusCode, 304)

    const signIn = await app.inject({ method: 'GET', url: '/console/sign-in' })
    t.match(signIn.body, 'class="skip-link"', 'the sign-in page too')
    t.notMatch(signIn.body, 'id="shortcuts"', 'no shortcut help before sign-in')
  })

t.test('the language switch sticks for the console and only there', async t => {
  const { app } = await buildTestApp(t)
  const korean = { 'accept-language': 'ko-KR,ko;q=0.9' }
  const first = await app.inject({ method: 'GET', url: '/console/sign-in', headers: korean })
  t.match(first.body, '<html lang="ko">')
  const link = /<a class="language-switch" href="([^"]+)" lang="en" hreflang="en">English<\/a>/.exec(first.body)?.[1]
  t.ok(link, 'a link to English')

  const switched = await app.inject({ method: 'GET', url: link!.replaceAll('&amp;', '&'), headers: korean })
  t.equal(switched.statusCode, 303)
  t.equal(switched.headers.location, '/console/sign-in', 'back to the page it was followed from')
  const setCookie = String(switched.headers['set-cookie'])
  t.match(setCookie, /^console-lang=en; Path=\/console; Max-Age=31536000; HttpOnly; SameSite=Lax$/)
  const cookie = setCookie.split(';')[0]!

  const english = await app.inject({ method: 'GET', url: '/console/sign-in', headers: { ...korean, cookie } })
  t.match(english.body, '<html lang="en">', 'the cookie wins over Accept-Language')
  t.match(english.body, 'lang="ko" hreflang="ko">한국어</a>', 'and the way back')

  const api = await app.inject({
    method: 'POST',
    url: '/api/auth/mobile/',
    headers: { ...korean, cookie },
    payload: { mobile: 'not a number' }
  })
  t.equal(api.statusCode, 400)
  t.match(api.body, '올바른 휴대폰 번호를 입력하세요', 'the apps\' routes still follow Accept-Language')

  const elsewhere = ['https://evil.example/', '//evil.example/console', '/consolex', '/console\\evil', 'javascript:1']
  for (const back of elsewhere) {
    const res = await app.inject({ method: 'GET', url: `/console/language?to=ko&back=${encodeURIComponent(back)}` })
    t.equal(res.headers.location, '/console/queue', `never elsewhere: ${back}`)
  }
  const queue = encodeURIComponent('/console/queue?status=all&page=2')
  const kept = await app.inject({ method: 'GET', url: `/console/language?to=ko&back=${queue}` })
  t.equal(kept.headers.location, '/console/queue?status=all&page=2', 'the query kept')
  t.equal((await app.inject({ method: 'GET', url: '/console/language?to=fr' })).statusCode, 400)
})
