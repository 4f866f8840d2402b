import t from 'tap'
import { ERRORS } from '../../src/adapters/http/errors/error-table.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { admin, approvedMember, registration } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

// JSON routes take JSON alone: a form (or text, or multipart) is what any web page can post
// cross-site without a CORS preflight. Only the OAuth2 form login takes a form. A request without
// a body passes whatever its Content-Type says.

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const AUTH_415 = {
  code: 'UNSUPPORTED_MEDIA_TYPE',
  message: ERRORS.unsupported_media_type.ko,
  detail: ERRORS.unsupported_media_type.ko
}
const API_415 = { detail: ERRORS.unsupported_media_type.ko, code: 'unsupported_media_type' }

t.test('a form body on a JSON route is a 415 in the door\'s format, and nothing is done', async (t) => {
  const { app } = await buildTestApp(t)
  const email = `form-${uniqueSuffix()}@example.com`
  const form = new URLSearchParams({ email, password: 'correct horse battery' }).toString()

  const register = await app.inject({ method: 'POST', url: '/auth/register', headers: FORM, payload: form })
  t.same([register.statusCode, register.json()], [415, AUTH_415], 'POST /auth/register')
  const login = await app.inject({ method: 'POST', url: '/auth/login/json', headers: FORM, payload: form })
  t.same([login.statusCode, login.json()], [415, AUTH_415], 'POST /auth/login/json')
  // The refused form created nothing: the same email registers through JSON.
  const json = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password: 'correct horse battery' }
  })
  t.equal(json.statusCode, 200, json.body)

  const { token } = await registerAndLogin(app)
  const fcm = await app.inject({
    method: 'PUT',
    url: '/auth/fcm-token',
    headers: { ...FORM, ...bearer(token) },
    payload: 'fcm_token=abc'
  })
  t.same([fcm.statusCode, fcm.json()], [415, AUTH_415], 'PUT /auth/fcm-token')

  const signUp = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    headers: FORM,
    payload: new URLSearchParams(registration() as unknown as Record<string, string>).toString()
  })
  t.same([signUp.statusCode, signUp.json()], [415, API_415], 'POST /api/registration/')
  const refresh = await app.inject({ method: 'POST', url: '/api/token/refresh/', headers: FORM, payload: 'refresh=x' })
  t.same([refresh.statusCode, refresh.json()], [415, API_415], 'POST /api/token/refresh/')
  const interest = await app.inject({
    method: 'POST',
    url: '/admin/interests',
    headers: { ...FORM, ...admin },
    payload: 'name=x&emoji=y'
  })
  t.same([interest.statusCode, interest.json()], [415, API_415], 'POST /admin/interests')

  // The other types a page can post without a preflight: multipart and text.
  for (const type of ['multipart/form-data; boundary=x', 'text/plain']) {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/login/json',
      headers: { 'content-type': type },
      payload: `--x\r\n\r\n{"email":"${email}"}`
    })
    t.same([res.statusCode, res.json()], [415, AUTH_415], type)
  }
})

t.test('JSON still works, with or without a charset; a bodiless route ignores a JSON body', async (t) => {
  const { app } = await buildTestApp(t)
  const email = `json-${uniqueSuffix()}@example.com`
  const register = await app.inject({
    method: 'POST',
    url: '/auth/register',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    payload: JSON.stringify({ email, password: 'correct horse battery' })
  })
  t.equal(register.statusCode, 200, register.body)
  const { token } = await registerAndLogin(app)
  const logout = await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token), payload: {} })
  t.equal(logout.statusCode, 200, 'a client library\'s `{}` on logout')
})

t.test('the OAuth2 form login takes the form, and only the form', async (t) => {
  const { app } = await buildTestApp(t)
  const { email, password } = await registerAndLogin(app)
  const form = await app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: FORM,
    payload: new URLSearchParams({ username: email, password, grant_type: 'password' }).toString()
  })
  t.equal(form.statusCode, 200, form.body)
  t.equal(form.json().token_type, 'bearer')
  const json = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: email, password } })
  t.same([json.statusCode, json.json()], [415, AUTH_415], 'JSON has its own route, /auth/login/json')
})

t.test('bodiless routes take an empty body with any content type, or none', async (t) => {
  const { app } = await buildTestApp(t)
  // Empty with a declared length of 0, and with no length at all (no body framing).
  const empties = [
    { label: 'text/plain, length 0', headers: { 'content-type': 'text/plain' }, payload: '' },
    { label: 'text/plain, no length', headers: { 'content-type': 'text/plain' } },
    { label: 'form, length 0', headers: FORM, payload: '' },
    { label: 'octet-stream, length 0', headers: { 'content-type': 'application/octet-stream' }, payload: '' },
    { label: 'no content type, length 0', headers: {}, payload: '' },
    { label: 'application/json, length 0', headers: { 'content-type': 'application/json' }, payload: '' }
  ]
  for (const { label, headers, payload } of empties) {
    const { token } = await registerAndLogin(app)
    const logout = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...headers, ...bearer(token) },
      ...(payload === undefined ? {} : { payload })
    })
    t.same(
      [logout.statusCode, logout.json()],
      [200, { message: 'Successfully logged out' }],
      `POST /auth/logout: ${label}`
    )

    const other = await registerAndLogin(app)
    const deleted = await app.inject({
      method: 'DELETE',
      url: '/auth/me',
      headers: { ...headers, ...bearer(other.token) },
      ...(payload === undefined ? {} : { payload })
    })
    t.same(
      [deleted.statusCode, deleted.json()],
      [200, { message: 'User account deleted successfully' }],
      `DELETE /auth/me: ${label}`
    )

    const signUp = await app.inject({ method: 'POST', url: '/api/registration/', payload: registration() })
    const uuid = signUp.json().user.uuid as string
    const approved = await app.inject({
      method: 'POST',
      url: `/admin/users/${uuid}/approve`,
      headers: { ...headers, ...admin },
      ...(payload === undefined ? {} : { payload })
    })
    t.same(
      [approved.statusCode, approved.json().status],
      [200, 'approved'],
      `POST /admin/users/{uuid}/approve: ${label}`
    )

    // The phone door's logout reads an optional body: with none, the refresh token in the header.
    const { refresh } = signUp.json() as { refresh: string }
    const phoneLogout = await app.inject({
      method: 'POST',
      url: '/api/logout/',
      headers: { ...headers, ...bearer(refresh) },
      ...(payload === undefined ? {} : { payload })
    })
    t.same(
      [phoneLogout.statusCode, phoneLogout.json()],
      [200, { detail: 'Successfully logged out.' }],
      `POST /api/logout/: ${label}`
    )
  }
})

t.test('a bodiless route still refuses a body it does not take', async (t) => {
  const { app } = await buildTestApp(t)
  const { token } = await registerAndLogin(app)
  const text = await app.inject({
    method: 'POST',
    url: '/auth/logout',
    headers: { 'content-type': 'text/plain', ...bearer(token) },
    payload: 'x'
  })
  t.same([text.statusCode, text.json()], [415, AUTH_415])
  const form = await app.inject({
    method: 'DELETE',
    url: '/auth/me',
    headers: { ...FORM, ...bearer(token) },
    payload: 'a=b'
  })
  t.same([form.statusCode, form.json()], [415, AUTH_415])
  const member = await approvedMember(app)
  const approve = await app.inject({
    method: 'POST',
    url: `/admin/users/${member.uuid}/approve`,
    headers: { ...FORM, ...admin },
    payload: 'a=b'
  })
  t.same([approve.statusCode, approve.json()], [415, API_415])
})

t.test('a route that needs a body still answers its 400 when the body is empty', async (t) => {
  const { app } = await buildTestApp(t)
  for (const headers of [{ 'content-type': 'text/plain' }, FORM, { 'content-type': 'application/json' }, {}] as Array<
    Record<string, string>
  >) {
    const label = headers['content-type'] ?? 'no content type'
    const register = await app.inject({ method: 'POST', url: '/auth/register', headers, payload: '' })
    t.equal(register.statusCode, 400, `/auth/register, ${label}`)
    t.equal(register.json().code, 'INVALID_INPUT')
    const refresh = await app.inject({ method: 'POST', url: '/api/token/refresh/', headers, payload: '' })
    t.equal(refresh.statusCode, 400, `/api/token/refresh/, ${label}`)
    t.notOk(
      'code' in refresh.json() && refresh.json().code === 'unsupported_media_type',
      'a field error, not a media type'
    )
    const form = await app.inject({ method: 'POST', url: '/auth/login', headers, payload: '' })
    t.same([form.statusCode, form.json().code], [400, 'INVALID_INPUT'], `/auth/login, ${label}`)
  }
})

t.test('an unknown route is a 404 whatever it is sent', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({
    method: 'POST',
    url: '/auth/nowhere',
    headers: { 'content-type': 'text/plain' },
    payload: 'x'
  })
  t.same([res.statusCode, res.json().code], [404, 'NOT_FOUND'])
})
