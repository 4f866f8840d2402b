import Fastify from 'fastify'
import formBody from '@fastify/formbody'
import t, { type Test } from 'tap'
import { createMemoryStaffSessionStore } from '../../src/adapters/memory/memory-staff-session-store.js'
import { CONSOLE_CSS_HREF, CONSOLE_CSS_PATH, consoleAssetRoutes } from '../../src/adapters/http/console/pages/assets.js'
import { checkCsrf, CSRF_FIELD, isCrossOriginWrite } from '../../src/adapters/http/console/csrf.js'
import { consoleSecurityHeaders, setSecurityHeaders } from '../../src/adapters/http/console/security-headers.js'
import { clearSessionCookie, readSessionId, setSessionCookie } from '../../src/adapters/http/console/session-cookie.js'
import { ManualClock } from '../helpers/manual-clock.js'

const BUCKET = 'https://verification.s3.ap-northeast-2.amazonaws.com'

/** A console in miniature: the primitives wired the way the real routes use them. */
async function consoleApp (t: Test) {
  const sessions = createMemoryStaffSessionStore({
    clock: new ManualClock(),
    settings: { idleSeconds: 1800, absoluteSeconds: 43_200 }
  })
  const headers = consoleSecurityHeaders([`${BUCKET}/some/prefix`, BUCKET])
  const app = Fastify({ trustProxy: true })
  t.teardown(() => app.close())
  await app.register(formBody)
  app.addHook('onRequest', async (_request, reply) => { setSecurityHeaders(reply, headers) })
  await app.register(consoleAssetRoutes)
  app.get('/console/', async () => 'ok')
  app.get('/console/whoami', async (request) => ({ id: readSessionId(request) }))
  app.post('/console/sign-in', async (request, reply) => {
    const id = await sessions.create({ staffId: 'staff-1', stage: 'signed_in', address: request.ip, userAgent: null })
    setSessionCookie(request, reply, id)
    return { id, csrf: (await sessions.get(id))!.csrfToken }
  })
  app.post('/console/sign-out', async (request, reply) => {
    clearSessionCookie(request, reply)
    return 'bye'
  })
  app.post<{ Body: Record<string, unknown> }>('/console/approve', async (request, reply) => {
    if (isCrossOriginWrite(request)) return reply.code(403).send('cross-origin')
    const id = readSessionId(request)
    const session = id === null ? null : await sessions.get(id)
    if (session === null) return reply.code(401).send('no session')
    if (!checkCsrf(session, request.body?.[CSRF_FIELD])) return reply.code(403).send('csrf')
    return 'approved'
  })
  return app
}

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString()
})

t.test('every console answer carries the security headers', async (t) => {
  const app = await consoleApp(t)
  const response = await app.inject({ method: 'GET', url: '/console/' })
  t.equal(
    response.headers['content-security-policy'],
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: ${BUCKET}; ` +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'the bucket by its origin alone, once'
  )
  t.match(response.headers, {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cache-control': 'no-store'
  })
  t.equal(
    (await app.inject({ method: 'POST', url: '/console/approve' })).headers['x-frame-options'],
    'DENY',
    'refusals too'
  )
})

t.test('without extra origins, images come from the console alone; a bad origin fails at start', async (t) => {
  t.match(consoleSecurityHeaders()['content-security-policy'], /img-src 'self' data:; /)
  t.throws(() => consoleSecurityHeaders(["https://x.example; script-src 'unsafe-inline'"]), /not an http\(s\) URL/)
  t.throws(() => consoleSecurityHeaders(['javascript:alert(1)']), /not an http\(s\) URL/)
  t.throws(() => consoleSecurityHeaders(['s3.example.com']), /not an http\(s\) URL/)
})

t.test('the session cookie: __Host- and Secure over TLS, neither on plain HTTP, never persistent', async (t) => {
  const app = await consoleApp(t)
  const tls = await app.inject({ method: 'POST', url: '/console/sign-in', headers: { 'x-forwarded-proto': 'https' } })
  const { id } = tls.json<{ id: string }>()
  t.equal(tls.headers['set-cookie'], `__Host-console=${id}; Path=/; HttpOnly; SameSite=Strict; Secure`)

  const plain = await app.inject({ method: 'POST', url: '/console/sign-in' })
  t.equal(plain.headers['set-cookie'], `console=${plain.json<{ id: string }>().id}; Path=/; HttpOnly; SameSite=Strict`)

  const untrusted = Fastify({ trustProxy: false })
  t.teardown(() => untrusted.close())
  untrusted.post('/', async (request, reply) => { setSessionCookie(request, reply, id); return '' })
  t.match(
    (await untrusted.inject({ method: 'POST', url: '/', headers: { 'x-forwarded-proto': 'https' } })).headers[
      'set-cookie'
    ],
    /^console=/,
    'X-Forwarded-Proto counts only from a trusted proxy'
  )

  t.equal(
    (await app.inject({ method: 'POST', url: '/console/sign-out', headers: { 'x-forwarded-proto': 'https' } })).headers[
      'set-cookie'
    ],
    '__Host-console=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure'
  )
  t.equal((await app.inject({ method: 'POST', url: '/console/sign-out' })).headers['set-cookie'],
    'console=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict')
  t.throws(
    () => setSessionCookie({ protocol: 'http' } as never, { header () {} } as never, 'x; Domain=evil.example'),
    'no attributes smuggled in an id'
  )
})

t.test('reading the cookie: only the name for this protocol, one unambiguous well-formed value', async (t) => {
  const app = await consoleApp(t)
  const id = 'A'.repeat(43)
  const whoami = async (cookie: string, tls = false) => (await app.inject({
    method: 'GET', url: '/console/whoami', headers: { cookie, ...(tls ? { 'x-forwarded-proto': 'https' } : {}) }
  })).json<{ id: string | null }>().id
  t.equal(await whoami(`theme=dark; console=${id}`), id)
  t.equal(await whoami(`__Host-console=${id}`, true), id)
  t.equal(
    await whoami(`console=${id}`, true),
    null,
    'over TLS a plain cookie, which anyone could have set, does not count'
  )
  t.equal(await whoami(`__Host-console=${id}`), null)
  t.equal(await whoami(`console=${id}; console=${'B'.repeat(43)}`), null, 'two different values: one was planted')
  t.equal(await whoami(`console=${id}; console=${id}`), id)
  t.equal(await whoami('console=<script>'), null)
  t.equal(await whoami('xconsole=' + id), null)
  t.equal((await app.inject({ method: 'GET', url: '/console/whoami' })).json<{ id: string | null }>().id, null)
})

t.test('CSRF: a missing or wrong token is refused, the session\'s own is accepted', async (t) => {
  const app = await consoleApp(t)
  const { id, csrf } = (await app.inject({ method: 'POST', url: '/console/sign-in' })).json<{
    id: string
    csrf: string
  }>()
  const approve = async (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const request = form(fields)
    const response = await app.inject({
      method: 'POST',
      url: '/console/approve',
      ...request,
      headers: { ...request.headers, cookie: `console=${id}`, ...headers }
    })
    return `${response.statusCode} ${response.body}`
  }
  t.equal(await approve({}), '403 csrf', 'missing')
  t.equal(await approve({ [CSRF_FIELD]: '' }), '403 csrf', 'empty')
  t.equal(
    await approve({ [CSRF_FIELD]: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }),
    '403 csrf',
    'one character off'
  )
  t.equal(await approve({ [CSRF_FIELD]: csrf.slice(1) }), '403 csrf', 'another length')
  t.equal(await approve({ [CSRF_FIELD]: csrf }), '200 approved')
  const anonymous = await app.inject({ method: 'POST', url: '/console/approve', ...form({ [CSRF_FIELD]: csrf }) })
  t.equal(anonymous.statusCode, 401, 'a token without its session is nothing')

  t.equal(checkCsrf({ csrfToken: csrf }, [csrf]), false, 'a repeated field (an array) is no token')
  t.equal(checkCsrf({ csrfToken: '' }, ''), false, 'an empty token never matches')
})

t.test('a state-changing request from another origin is refused, token or not', async (t) => {
  const app = await consoleApp(t)
  const { id, csrf } = (await app.inject({ method: 'POST', url: '/console/sign-in' })).json<{
    id: string
    csrf: string
  }>()
  const approve = async (headers: Record<string, string>) => {
    const request = form({ [CSRF_FIELD]: csrf })
    const response = await app.inject({
      method: 'POST',
      url: '/console/approve',
      ...request,
      headers: { ...request.headers, host: 'console.example.com', cookie: `console=${id}`, ...headers }
    })
    return `${response.statusCode} ${response.body}`
  }
  t.equal(await approve({ origin: 'https://evil.example' }), '403 cross-origin')
  t.equal(await approve({ origin: 'http://console.example.com.evil.example' }), '403 cross-origin')
  t.equal(
    await approve({ origin: 'https://console.example.com' }),
    '403 cross-origin',
    'another scheme is another origin'
  )
  t.equal(await approve({ origin: 'null' }), '403 cross-origin', 'an opaque origin')
  t.equal(await approve({ 'sec-fetch-site': 'cross-site' }), '403 cross-origin')
  t.equal(
    await approve({ 'sec-fetch-site': 'same-site' }),
    '403 cross-origin',
    'a sibling subdomain is not the console'
  )
  t.equal(await approve({ origin: 'http://console.example.com', 'sec-fetch-site': 'same-origin' }), '200 approved')
  t.equal(await approve({ origin: 'http://Console.Example.com:80' }), '200 approved', 'the same origin however written')
  t.equal(await approve({}), '200 approved', 'no Origin (an older browser): the token decides')
  t.equal(await approve({ origin: 'https://console.example.com', 'x-forwarded-proto': 'https' }), '401 no session',
    'the same origin over TLS, but with the plain-HTTP cookie: no session counts')

  const tls = (
    await app.inject({ method: 'POST', url: '/console/sign-in', headers: { 'x-forwarded-proto': 'https' } })
  ).json<{ id: string, csrf: string }>()
  const request = form({ [CSRF_FIELD]: tls.csrf })
  const behindProxy = await app.inject({
    method: 'POST',
    url: '/console/approve',
    ...request,
    headers: {
      ...request.headers,
      host: 'app:3000',
      'x-forwarded-host': 'console.example.com',
      'x-forwarded-proto': 'https',
      origin: 'https://console.example.com',
      cookie: `__Host-console=${tls.id}`
    }
  })
  t.equal(behindProxy.body, 'approved', "the own origin is the trusted proxy's view of it")
  t.notOk(
    isCrossOriginWrite({ method: 'GET', headers: { origin: 'https://evil.example' } } as never),
    'reading is no write'
  )
})

t.test('the stylesheet: text/css, cached for a year under a versioned link', async (t) => {
  const app = await consoleApp(t)
  t.match(CONSOLE_CSS_HREF, new RegExp(`^${CONSOLE_CSS_PATH}\\?v=[A-Za-z0-9_-]{16}$`))
  const response = await app.inject({ method: 'GET', url: CONSOLE_CSS_HREF })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'text/css; charset=utf-8')
  t.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  for (const rule of [
    '.badge.pending',
    '.badge.approved',
    '.badge.rejected',
    '.flag',
    ':focus-visible',
    '.table-wrap',
    '@media'
  ]) {
    t.ok(response.body.includes(rule), rule)
  }
  const again = await app.inject({
    method: 'GET',
    url: CONSOLE_CSS_PATH,
    headers: { 'if-none-match': response.headers.etag as string }
  })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
})
