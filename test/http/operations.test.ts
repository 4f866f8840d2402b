import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'

t.test("GET /health answers while the process lives, with package.json's version", async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
  t.match(version, /^\d+\.\d+\.\d+/)
  t.same(res.json(), { status: 'ok', version })

  const spec = await app.inject({ method: 'GET', url: '/docs/json' })
  const schema = spec.json().paths['/health'].get.responses['200'].content['application/json'].schema
  t.same(schema.required, ['status', 'version'], 'the OpenAPI document lists the version')
  t.equal(schema.properties.version.type, 'string')
})

t.test('GET /ready reflects the stores', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const ok = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { status: 'ready', checks: { database: 'ok' } })

  ports.accounts.ping = async () => { throw new Error('connection refused') }
  const down = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(down.statusCode, 503)
  t.same(down.json(), { status: 'unavailable', checks: { database: 'down' } })
})

t.test('GET /ready gives up on a store that hangs', async (t) => {
  const { app, ports } = await buildTestApp(t)
  ports.accounts.ping = () => new Promise(() => {})
  const res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().checks.database, 'down')
})

t.test('GET /docs serves the OpenAPI document built from the routes, and a UI', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(spec.statusCode, 200)
  const paths = Object.keys(spec.json().paths)
  for (const path of [
    '/auth/register',
    '/auth/login/json',
    '/auth/login',
    '/auth/logout',
    '/auth/me',
    '/auth/fcm-token',
    '/health',
    '/ready'
  ]) {
    t.ok(paths.includes(path), `documents ${path}`)
  }
  t.ok(spec.json().paths['/auth/register'].post.requestBody, 'request bodies come from the TypeBox schemas')
  const ui = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
})

t.test('every response carries a request id; a safe incoming one is kept', async (t) => {
  const { app } = await buildTestApp(t)
  const kept = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } })
  t.equal(kept.headers['x-request-id'], 'abc-123')
  const replaced = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'evil\nline' } })
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})
