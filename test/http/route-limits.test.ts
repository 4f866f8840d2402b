import t from 'tap'
import { declaredLimits } from '../../src/adapters/http/rate-limits.js'
import { LIMITS_ON, buildTestApp } from '../helpers/build-test-app.js'

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The routes an attacker drives (SMS pumping, code and password guessing, sign-up spam): each must stay limited. */
const MUST_BE_LIMITED = [
  'POST /api/auth/mobile/',
  'POST /api/token/',
  'POST /api/registration/',
  'POST /api/sign-s3/',
  'POST /auth/login/json',
  'POST /auth/login',
  'POST /auth/register',
  'POST /auth/password/forgot',
  'POST /auth/password/reset',
  'POST /auth/password/change',
  'PUT /auth/email',
  'POST /auth/email/verify/request',
  'POST /auth/email/verify',
  'POST /api/users/me/mobile/',
  'POST /api/users/me/mobile/verify/',
  'POST /auth/account/undo',
  'POST /api/account/undo/',
  'POST /console/sign-in',
  'POST /console/second-factor'
]

// Malformed on purpose: the 400 comes from validation, after the per-address limit has counted the request.
const reset = (app: App, ip: string) =>
  app.inject({ method: 'POST', url: '/auth/password/reset', remoteAddress: ip, payload: {} })

t.test('every state-changing route declares its per-address limit, or why it has none', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const routes = declaredLimits(app).filter((route) => STATE_CHANGING.has(route.method))
  const names = routes.map((route) => `${route.method} ${route.url}`)
  for (const walked of [
    'POST /admin/users/:uuid/approve',
    'POST /console/members/:uuid/approve',
    'POST /console/staff/:id/disable',
    'POST /uploads/'
  ]) {
    t.ok(names.includes(walked), `the admin API, the console and the embedded store are registered (${walked})`)
  }

  for (const { method, url, limit } of routes) {
    if (limit === null) {
      t.fail(`${method} ${url} declares no limit: add config.limit ('perAddress' or { exempt: 'why' })`)
    } else if (limit !== 'perAddress') {
      t.ok(limit.exempt.trim().length > 0, `${method} ${url} is exempt for a reason: ${limit.exempt}`)
    }
  }

  const limited = new Set(
    routes.filter(route => route.limit === 'perAddress').map(route => `${route.method} ${route.url}`)
  )
  for (const route of MUST_BE_LIMITED) t.ok(limited.has(route), `${route} is limited per address`)
})

t.test('a route limited only by its own config answers 429 past the budget', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: { ...LIMITS_ON, perAddress: { max: 3, windowSeconds: 60 } } })
  for (let i = 0; i < 3; i++) t.equal((await reset(app, '203.0.113.7')).statusCode, 400)
  const refused = await reset(app, '203.0.113.7')
  t.equal(refused.statusCode, 429)
  t.equal(refused.json().code, 'TOO_MANY_REQUESTS')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After in seconds')
  t.equal((await reset(app, '198.51.100.9')).statusCode, 400, 'another address has its own budget')
})

t.test('IPv6 clients are counted by their /64', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: { ...LIMITS_ON, perAddress: { max: 3, windowSeconds: 60 } } })
  t.equal((await reset(app, '2001:db8:1:2::1')).statusCode, 400)
  t.equal((await reset(app, '2001:db8:1:2::ffff')).statusCode, 400)
  t.equal((await reset(app, '2001:db8:1:2:abcd::9')).statusCode, 400)
  t.equal((await reset(app, '2001:db8:1:2::1')).statusCode, 429, 'three addresses of one /64 spent one budget')
  t.equal((await reset(app, '2001:db8:1:2::ffff')).statusCode, 429, 'which no address of the /64 escapes')
  t.equal((await reset(app, '2001:db8:1:3::1')).statusCode, 400, 'the next /64 is another client')
})
