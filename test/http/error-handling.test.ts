import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'

t.test('unknown routes answer 404 in the door of their prefix', async (t) => {
  const { app } = await buildTestApp(t)
  const auth = await app.inject({ method: 'GET', url: '/auth/nothing-here' })
  t.equal(auth.statusCode, 404)
  t.same(auth.json(), { code: 'NOT_FOUND', message: '찾을 수 없습니다.', detail: '찾을 수 없습니다.' })
  const api = await app.inject({ method: 'GET', url: '/api/nothing-here/', headers: { 'accept-language': 'en' } })
  t.equal(api.statusCode, 404)
  t.same(api.json(), { detail: 'Not found.', code: 'not_found' })
})

t.test('an unexpected failure is a bare 500: no message, no stack, logged', async (t) => {
  const { app, ports, logs } = await buildTestApp(t)
  ports.accounts.findByEmail = async () => { throw new Error('relation "users" is on fire at db-7.internal') }
  const res = await app.inject({
    method: 'POST',
    url: '/auth/login/json',
    payload: { email: 'a@example.com', password: 'password123' }
  })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { code: 'SERVER_ERROR', message: '서버 오류가 발생했습니다', detail: '서버 오류가 발생했습니다' })
  t.notMatch(res.body, /fire|stack|db-7/)
  t.match(logs.text, /on fire/, 'the cause is in the log for the operator')
})

t.test('a body over the limit is 413 in the door format', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: 'big@example.com', password: 'x'.repeat(2 * 1024 * 1024) }
  })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'PAYLOAD_TOO_LARGE')
})

t.test('passwords, tokens and authorization headers never reach the log', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const password = 'very-secret-password-41'
  const { token } = await registerAndLogin(app, { password })
  await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
  await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email: 'x@example.com', password } })
  await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })
  t.ok(logs.lines.length > 4, 'requests were logged')
  t.notMatch(logs.text, password)
  t.notMatch(logs.text, token)
  t.notMatch(logs.text, token.split('.')[2]!)
  for (const line of logs.lines) t.doesNotThrow(() => JSON.parse(line), 'every log line is JSON')
})
