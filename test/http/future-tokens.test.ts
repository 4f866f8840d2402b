import { createHmac } from 'node:crypto'
import t from 'tap'
import { ERRORS } from '../../src/adapters/http/errors/error-table.js'
import { TEST_JWT, buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { approvedMember } from '../helpers/phone-flows.js'

// A token signed with the service's own secret, but dated in the future (iat or nbf past the
// leeway, 0 in tests), is refused as an invalid token in the door's format: no instance issues
// one, and a future iat would outlive every sign-out taken before it.

/** The token's own claims with some changed, signed again with the service's secret. */
function resigned (token: string, changes: (claims: Record<string, number>) => Record<string, unknown>): string {
  const [header, payload] = token.split('.') as [string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, number>
  const body = `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes(claims) })).toString('base64url')}`
  return `${body}.${createHmac('sha256', TEST_JWT.secret).update(body).digest('base64url')}`
}

const AUTH_INVALID = {
  code: 'INVALID_TOKEN',
  message: ERRORS.invalid_token.ko,
  detail: 'Could not validate credentials'
}
const API_INVALID = { detail: ERRORS.invalid_token.ko, code: 'token_not_valid' }

t.test('the email door: a future iat or nbf is a 401 INVALID_TOKEN', async (t) => {
  const { app } = await buildTestApp(t)
  const { token } = await registerAndLogin(app)
  const me = (access: string) => app.inject({ method: 'GET', url: '/auth/me', headers: bearer(access) })

  t.equal((await me(resigned(token, () => ({})))).statusCode, 200, 'the same claims signed again: accepted')
  t.equal(
    (await me(resigned(token, ({ iat }) => ({ nbf: Math.floor(iat!) })))).statusCode,
    200,
    'nbf at the issue instant: accepted'
  )
  for (const [label, changes] of [
    ['iat a minute ahead', ({ iat }: Record<string, number>) => ({ iat: iat! + 60 })],
    ['iat a year ahead', ({ iat }: Record<string, number>) => ({ iat: iat! + 365 * 86400 })],
    ['nbf a minute ahead', ({ iat }: Record<string, number>) => ({ nbf: Math.floor(iat!) + 60 })]
  ] as const) {
    const res = await me(resigned(token, changes))
    t.same([res.statusCode, res.json()], [401, AUTH_INVALID], label)
  }
  const logout = await app.inject({
    method: 'POST',
    url: '/auth/logout',
    headers: bearer(resigned(token, ({ iat }) => ({ iat: iat! + 60 })))
  })
  t.same([logout.statusCode, logout.json()], [401, AUTH_INVALID], 'a protected POST too')
})

t.test('the phone door: a future access or refresh token is a 401 token_not_valid', async (t) => {
  const { app } = await buildTestApp(t)
  const member = await approvedMember(app) as { access: string, refresh: string }
  const ahead = ({ iat }: Record<string, number>) => ({ iat: iat! + 60 })

  t.equal(
    (await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(resigned(member.access, () => ({}))) }))
      .statusCode,
    200,
    'control'
  )
  const me = await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(resigned(member.access, ahead)) })
  t.same([me.statusCode, me.json()], [401, API_INVALID], 'access token, iat ahead')
  const nbf = await app.inject({
    method: 'GET',
    url: '/api/users/me/',
    headers: bearer(resigned(member.access, ({ iat }) => ({ nbf: iat! + 60 })))
  })
  t.same([nbf.statusCode, nbf.json()], [401, API_INVALID], 'access token, nbf ahead')
  const refresh = await app.inject({
    method: 'POST',
    url: '/api/token/refresh/',
    payload: { refresh: resigned(member.refresh, ahead) }
  })
  t.same([refresh.statusCode, refresh.json()], [401, API_INVALID], 'refresh token, iat ahead')
  const genuine = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })
  t.equal(genuine.statusCode, 200, 'the genuine refresh token still rotates: the forged one did not spend it')
})
