import { createHmac } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createLocalJWKSet, jwtVerify } from 'jose'
import t from 'tap'
import { generateSigningKey, secretSigningKey } from '../../src/adapters/system/signing-keys.js'
import { buildTestApp, TEST_JWT, type TestPorts } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { approvedMember } from '../helpers/phone-flows.js'

// A rotation from JWT_SECRET's HS256 key (A) to an Ed25519 key (B), as docs/operations.md tells an
// operator to run it: each step is a new app (a roll-out) on the same stores, configured by the
// variables the operator sets. Tokens of A keep working until A is retired, and only then fail.

const B = generateSigningKey('EdDSA', 'ed-b')
const A_KID = secretSigningKey(TEST_JWT.secret).kid
const STEPS = {
  today: {},
  added: { JWT_KEYS: JSON.stringify([B.jwk]), JWT_SIGNING_KEY: A_KID },
  promoted: { JWT_KEYS: JSON.stringify([B.jwk]), JWT_SIGNING_KEY: B.kid },
  retired: { JWT_KEYS: JSON.stringify([B.jwk]), JWT_SECRET_VERIFIES: 'false' }
}
const API_INVALID = { detail: '유효하지 않은 토큰입니다', code: 'token_not_valid' }
const AUTH_INVALID = { code: 'INVALID_TOKEN', message: '유효하지 않은 토큰입니다', detail: 'Could not validate credentials' }

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())
/** The same claims as a token issued before tokens carried a kid: HS256 under JWT_SECRET, no kid. */
const unkeyed = (token: string) => {
  const body = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.` +
    token.split('.')[1]!
  return `${body}.${createHmac('sha256', TEST_JWT.secret).update(body).digest('base64url')}`
}

interface Session { access: string, refresh: string }
const me = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
const JWKS = '/.well-known/jwks.json'
const kidsOf = (jwks: { keys: Array<{ kid: string }> }) => jwks.keys.map(key => key.kid)
const usersMe = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(token) })
const refresh = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: token } })

t.test('add, promote, retire: nobody is signed out until the old key is retired', async (t) => {
  let stores: Partial<TestPorts> = {}
  /** A roll-out: a new app with these variables, on the stores (and clock) of the one before; its own codec. */
  const rollOut = async (env: Record<string, string>) => {
    const built = await buildTestApp(t, stores, {}, { jwtEnv: env })
    const { codec, ...rest } = built.ports
    stores = rest
    return built.app
  }
  const emailLogin = async (app: FastifyInstance) => (await registerAndLogin(app)).token
  const phoneSession = async (app: FastifyInstance): Promise<Session> => {
    const { access, refresh } = await approvedMember(app)
    return { access, refresh }
  }

  // Today: JWT_SECRET alone; its tokens name its kid.
  const today = await rollOut(STEPS.today)
  const emailA = await emailLogin(today)
  const phoneA = await phoneSession(today)
  const spareA = await phoneSession(today)
  const laterA = await phoneSession(today)
  t.same(headerOf(emailA), { alg: 'HS256', typ: 'JWT', kid: A_KID })
  t.equal(headerOf(phoneA.refresh).kid, A_KID)
  t.equal((await me(today, unkeyed(emailA))).statusCode, 200, 'a token from before kids: verified by the secret')
  t.same((await today.inject({ method: 'GET', url: JWKS })).json(), { keys: [] })

  // B added, verify-only: A still signs, and B is published ahead of its first token.
  const added = await rollOut(STEPS.added)
  t.equal((await me(added, emailA)).statusCode, 200, 'email access token of A')
  t.equal((await usersMe(added, phoneA.access)).statusCode, 200, 'phone access token of A')
  t.equal((await me(added, unkeyed(emailA))).statusCode, 200, 'a token without a kid')
  t.equal(headerOf(await emailLogin(added)).kid, A_KID, 'new email tokens: still A')
  const refreshedInAdded = await refresh(added, laterA.refresh)
  t.equal(refreshedInAdded.statusCode, 200)
  t.equal(headerOf(refreshedInAdded.json().access).kid, A_KID, 'new phone pairs: still A')
  t.same(kidsOf((await added.inject({ method: 'GET', url: JWKS })).json()), [B.kid], 'B published')

  // B promoted: new tokens are B's; every A token (access and refresh, both doors) still works.
  const promoted = await rollOut(STEPS.promoted)
  const emailB = await emailLogin(promoted)
  t.same(headerOf(emailB), { alg: 'EdDSA', typ: 'JWT', kid: B.kid })
  t.equal((await me(promoted, emailB)).statusCode, 200)
  t.equal((await me(promoted, emailA)).statusCode, 200, 'email access token of A')
  t.equal((await usersMe(promoted, phoneA.access)).statusCode, 200, 'phone access token of A')
  t.equal((await me(promoted, unkeyed(emailA))).statusCode, 200, 'a token without a kid')
  const rotated = await refresh(promoted, phoneA.refresh)
  t.equal(rotated.statusCode, 200, 'a refresh token of A is taken')
  const phoneB: Session = rotated.json()
  t.equal(headerOf(phoneB.access).kid, B.kid, 'and answered with a pair under B')
  t.equal(headerOf(phoneB.refresh).kid, B.kid)
  t.equal((await usersMe(promoted, phoneB.access)).statusCode, 200)

  // Another back end checks a B token with nothing but the published document, through a standard library.
  const jwks = (await promoted.inject({ method: 'GET', url: JWKS })).json()
  const verified = await jwtVerify(emailB, createLocalJWKSet(jwks), {
    issuer: TEST_JWT.issuer,
    audience: TEST_JWT.audience,
    algorithms: ['EdDSA']
  })
  t.equal(verified.protectedHeader.kid, B.kid)
  t.equal(verified.payload.typ, 'access')
  await t.rejects(jwtVerify(emailA, createLocalJWKSet(jwks)), 'an HS256 token cannot be checked from the JWKS')

  // A retired (after the longest lifetime, 30 days): its tokens fail in each door's own format.
  const retired = await rollOut(STEPS.retired)
  for (const [what, res] of [
    ['email access token of A', await me(retired, emailA)],
    ['a token without a kid', await me(retired, unkeyed(emailA))]
  ] as const) {
    t.equal(res.statusCode, 401, what)
    t.same(res.json(), AUTH_INVALID, what)
  }
  for (const [what, res] of [
    ['phone access token of A', await usersMe(retired, spareA.access)],
    ['phone refresh token of A', await refresh(retired, spareA.refresh)]
  ] as const) {
    t.equal(res.statusCode, 401, what)
    t.same(res.json(), API_INVALID, what)
  }
  t.equal((await me(retired, emailB)).statusCode, 200, 'email access token of B')
  t.equal((await usersMe(retired, phoneB.access)).statusCode, 200, 'phone access token of B')
  const again = await refresh(retired, phoneB.refresh)
  t.equal(again.statusCode, 200, 'phone refresh token of B')
  t.equal(headerOf(again.json().access).kid, B.kid)
})

t.test('the JWKS document: public halves only, cacheable, revalidated by ETag', async (t) => {
  const hs = generateSigningKey('HS256', 'hs-c')
  const { app } = await buildTestApp(t, {}, {}, {
    jwtEnv: { JWT_KEYS: JSON.stringify([B.jwk, hs.jwk]), JWT_SIGNING_KEY: B.kid }
  })
  const res = await app.inject({ method: 'GET', url: JWKS })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.equal(res.headers['cache-control'], 'public, max-age=300')
  t.same(res.json(), { keys: [{ kty: 'OKP', crv: 'Ed25519', x: B.jwk.x, kid: B.kid, alg: 'EdDSA', use: 'sig' }] })
  for (const secret of [B.jwk.d!, hs.jwk.k!, TEST_JWT.secret, Buffer.from(TEST_JWT.secret).toString('base64url')]) {
    t.notOk(res.body.includes(secret), 'no private part and no HMAC secret')
  }
  const etag = res.headers.etag as string
  t.match(etag, /^"[\w-]+"$/)
  const unchanged = await app.inject({ method: 'GET', url: JWKS, headers: { 'if-none-match': etag } })
  t.equal(unchanged.statusCode, 304)
  t.equal(unchanged.body, '')
  const stale = await app.inject({ method: 'GET', url: JWKS, headers: { 'if-none-match': '"old"' } })
  t.equal(stale.statusCode, 200)

  const other = generateSigningKey('EdDSA', 'ed-d')
  const { app: next } = await buildTestApp(t, {}, {}, {
    jwtEnv: { JWT_KEYS: JSON.stringify([B.jwk, other.jwk]), JWT_SIGNING_KEY: B.kid }
  })
  const grown = await next.inject({ method: 'GET', url: JWKS })
  t.not(grown.headers.etag, etag, 'another set, another ETag')
  t.same(kidsOf(grown.json()), [B.kid, other.kid], 'in the order listed')
})
