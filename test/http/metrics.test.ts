import t from 'tap'
import { createServiceMetrics } from '../../src/adapters/http/service-metrics.js'
import type { AuditLog } from '../../src/application/ports/records/audit-log.js'
import { buildTestApp, LIMITS_ON, memoryPorts, TEST_SETTINGS } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { admin, approvedMember, freshMobile } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'
import { sample } from '../helpers/prometheus.js'

const e164 = (mobile: string): string => '+82' + mobile.slice(1)

t.test('GET /metrics counts requests, logins, texts and refusals', async (t) => {
  const metrics = createServiceMetrics()
  const limits = {
    ...LIMITS_ON,
    perAddress: { max: 10, windowSeconds: 60 },
    guesses: { ...LIMITS_ON.guesses, perAddress: 2 }
  }
  const { app, ports } = await buildTestApp(t, {}, { limits }, { metrics })
  const scrape = async (tt = t): Promise<string> => {
    const res = await app.inject({ method: 'GET', url: '/metrics' })
    tt.equal(res.statusCode, 200, 'scraped')
    tt.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
    return res.body
  }

  // Email door: a success, a wrong password, then a guessed account until this address is stopped.
  const { email, token } = await registerAndLogin(app)
  const wrong = await app.inject({
    method: 'POST',
    url: '/auth/login/json',
    payload: { email, password: 'not the password' }
  })
  t.equal(wrong.statusCode, 401)
  const guessed = `nobody-${uniqueSuffix()}@example.com`
  const statuses: number[] = []
  for (let i = 0; i < 3; i++) {
    statuses.push(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/login/json',
          payload: { email: guessed, password: 'whatever123' }
        })
      ).statusCode
    )
  }
  t.same(statuses, [401, 401, 429], 'the third try on one account is throttled')
  t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })).statusCode, 200)

  // Phone door: a text sent, a wrong code, the right code; then a provider outage.
  const member = await approvedMember(app)
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })).statusCode,
    200
  )
  const code = ports.sms.lastCodeSentTo(e164(member.mobile))!
  const badCode = code === '000000' ? '111111' : '000000'
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/token/', payload: { mobile: member.mobile, token: badCode } }))
      .statusCode,
    401
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/token/', payload: { mobile: member.mobile, token: code } }))
      .statusCode,
    200
  )
  const unlucky = await approvedMember(app)
  ports.sms.failing = true
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: unlucky.mobile } })).statusCode,
    503
  )
  ports.sms.failing = false

  // Routes with ids, and a URL no route matches.
  const uuid = member.uuid
  t.equal((await app.inject({ method: 'GET', url: `/admin/users/${uuid}`, headers: admin })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: `/no/such/route/${uuid}` })).statusCode, 404)

  const text = await scrape()
  t.equal(sample(text, 'auth_logins_total', { door: 'email', outcome: 'success' }), 1)
  t.equal(sample(text, 'auth_logins_total', { door: 'email', outcome: 'bad_credentials' }), 3)
  t.equal(sample(text, 'auth_logins_total', { door: 'email', outcome: 'throttled' }), 1)
  t.equal(sample(text, 'auth_logins_total', { door: 'phone', outcome: 'success' }), 1)
  t.equal(sample(text, 'auth_logins_total', { door: 'phone', outcome: 'bad_code' }), 1)
  t.equal(sample(text, 'auth_sms_sends_total', { result: 'sent' }), 1, 'one text reached the provider')
  t.equal(sample(text, 'auth_sms_sends_total', { result: 'failed' }), 1, 'one text failed')
  t.equal(sample(text, 'auth_throttled_responses_total', { method: 'POST', route: '/auth/login/json' }), 1)
  t.equal(
    sample(text, 'auth_audit_events_total', { action: 'member.signed_in' }),
    2,
    'each audited event counted: the two sign-ins'
  )

  t.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/auth/me', status_code: '200' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/auth/login/json', status_code: '401' }), 3)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/auth/login/json', status_code: '429' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/api/auth/mobile/', status_code: '503' }), 1)
  t.equal(
    sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/auth/me', status_code: '200' }),
    1
  )
  t.equal(
    sample(text, 'http_request_duration_seconds_bucket', {
      method: 'GET',
      route: '/auth/me',
      status_code: '200',
      le: '+Inf'
    }),
    1
  )

  t.test('route labels are patterns, never raw URLs', async (t) => {
    t.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/admin/users/:uuid', status_code: '200' }), 1)
    t.equal(
      sample(text, 'http_requests_total', { method: 'POST', route: '/admin/users/:uuid/approve', status_code: '200' }),
      2
    )
    t.equal(sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' }), 1)
    t.notOk(text.includes(uuid), 'no member id in any label')
    t.notOk(text.includes('/no/such/route'), 'no unknown path in any label')
  })

  t.test('default process metrics are on this app\'s registry', async (t) => {
    t.ok(sample(text, 'process_cpu_user_seconds_total', {}) !== null)
    t.match(text, /^nodejs_heap_size_used_bytes /m)
  })

  t.test('the endpoint is not rate-limited, not counted and not in the public docs', async (t) => {
    for (let i = 0; i < 12; i++) await scrape(t)
    const after = await scrape(t)
    t.notMatch(after, /route="\/metrics"/)
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> }
    t.notOk('/metrics' in spec.paths)
    t.ok('/auth/me' in spec.paths, 'the docs still list the API')
  })
})

t.test('a hidden unknown number gets 200 but no text is counted', async (t) => {
  const metrics = createServiceMetrics()
  const { app } = await buildTestApp(t, {}, { otp: { ...TEST_SETTINGS.otp, hideUnknownNumbers: true } }, { metrics })
  const res = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: freshMobile() } })
  t.equal(res.statusCode, 200)
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(sample(text, 'auth_sms_sends_total', { result: 'sent' }), null)
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/api/auth/mobile/', status_code: '200' }), 1)
})

t.test('without metrics, GET /metrics is an unknown route like any other', async (t) => {
  const { app } = await buildTestApp(t)
  const metricsRes = await app.inject({ method: 'GET', url: '/metrics' })
  const unknown = await app.inject({ method: 'GET', url: '/metricz' })
  t.equal(metricsRes.statusCode, 404)
  t.equal(metricsRes.headers['content-type'], unknown.headers['content-type'])
  t.same(metricsRes.json(), unknown.json())
})

t.test('each app counts on its own registry', async (t) => {
  const one = createServiceMetrics()
  const two = createServiceMetrics()
  const { app } = await buildTestApp(t, {}, {}, { metrics: one })
  await app.inject({ method: 'GET', url: '/health' })
  t.equal(
    sample(await one.registry.metrics(), 'http_requests_total', {
      method: 'GET',
      route: '/health',
      status_code: '200'
    }),
    1
  )
  t.equal(
    sample(await two.registry.metrics(), 'http_requests_total', {
      method: 'GET',
      route: '/health',
      status_code: '200'
    }),
    null
  )
})

t.test('an audit entry the store refuses is counted as a failure, and its action fails', async (t) => {
  const metrics = createServiceMetrics()
  const trail = (await memoryPorts()).audit
  let refusing = false
  const audit: AuditLog = {
    ...trail,
    async append (entry) {
      if (refusing) throw new Error('audit store down')
      await trail.append(entry)
    }
  }
  const { app } = await buildTestApp(t, { audit }, {}, { metrics })
  const register = async () => app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: `audit-${uniqueSuffix()}@example.com`, password: 'audit password 1' }
  })
  t.equal((await register()).statusCode, 200, 'a sign-up while the trail writes')
  refusing = true
  t.equal((await register()).statusCode, 500, 'a sign-up the trail cannot record fails')
  const text = await metrics.registry.metrics()
  t.equal(sample(text, 'auth_audit_events_total', { action: 'member.signed_up' }), 1, 'the written one')
  t.equal(sample(text, 'auth_audit_write_failures_total', { action: 'member.signed_up' }), 1, 'the refused one')
})

t.test('auth_dependency_up asks the stores at each scrape', async (t) => {
  const metrics = createServiceMetrics()
  const { ports } = await buildTestApp(t, {}, {}, { metrics })
  t.equal(sample(await metrics.registry.metrics(), 'auth_dependency_up', { dependency: 'database' }), 1, 'up')
  const ping = ports.accounts.ping
  ports.accounts.ping = async () => { throw new Error('connection refused') }
  t.equal(sample(await metrics.registry.metrics(), 'auth_dependency_up', { dependency: 'database' }), 0, 'down')
  ports.accounts.ping = ping
  t.equal(sample(await metrics.registry.metrics(), 'auth_dependency_up', { dependency: 'database' }), 1, 'up again')
})
