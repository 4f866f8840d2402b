import { createHmac } from 'node:crypto'
import t from 'tap'
import { createJwtTokenCodec } from '../../src/adapters/jwt/jwt-token-codec.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { makeTokenService } from '../../src/application/sessions/token-service.js'
import { InvalidTokenError, TokenExpiredError } from '../../src/domain/errors.js'
import { TEST_JWT, TEST_SETTINGS } from '../helpers/build-test-app.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { tokenCodecContract } from '../contracts/token-codec.contract.js'

const codec = createJwtTokenCodec(TEST_JWT)
const parts = (token: string) =>
  token
    .split('.')
    .slice(0, 2)
    .map(part => JSON.parse(Buffer.from(part, 'base64url').toString()))
const signWith = (alg: string, digest: string, payload: object, secret = TEST_JWT.secret) => {
  const body = `${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.` +
    `${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${body}.${createHmac(digest, secret).update(body).digest('base64url')}`
}

t.test('a pair carries typ, jti, iat, exp, issuer, audience and the family', async (t) => {
  const clock = new ManualClock()
  const tokens = makeTokenService({ codec, clock, ids: randomIds, settings: TEST_SETTINGS.tokens })
  const issuer = tokens.issuer()
  const pair = issuer.pair((await issuer.read(async () => ({ id: 'u-1' })))!, 'sub-1')
  const [header, access] = parts(pair.access)
  const [, refresh] = parts(pair.refresh)
  t.same(header, { alg: 'HS256', typ: 'JWT' })
  for (const [claims, typ, ttl] of [
    [access, 'access', TEST_SETTINGS.tokens.accessTtlSeconds],
    [refresh, 'refresh', TEST_SETTINGS.tokens.refreshTtlSeconds]
  ] as const) {
    t.equal(claims.typ, typ)
    t.equal(claims.iss, TEST_JWT.issuer)
    t.equal(claims.aud, TEST_JWT.audience)
    t.match(claims.jti, /^[0-9a-f-]{36}$/)
    t.equal(claims.iat, clock.now().getTime() / 1000, 'iat keeps the milliseconds')
    t.equal(claims.exp, Math.floor(claims.iat) + ttl)
  }
  t.equal(access.fam, refresh.fam, 'both tokens of a pair share the family')
  t.not(access.jti, refresh.jti)
})

t.test('auth_time: the instant of the sign-in, kept by a continuation, optional on read', async (t) => {
  const clock = new ManualClock(Date.parse('2026-01-15T09:00:00.750Z'))
  const tokens = makeTokenService({ codec, clock, ids: randomIds, settings: TEST_SETTINGS.tokens })
  const signIn = tokens.issuer()
  const subject = (await signIn.read(async () => ({ id: 'u-1' })))!
  const signedIn = Math.floor(clock.now().getTime() / 1000)
  const pair = signIn.pair(subject, 'sub-1')
  t.equal(
    tokens.read(pair.access, 'access').auth_time,
    signedIn,
    'a code login or sign-up: whole seconds, rounded down (older, never fresher)'
  )
  t.equal(tokens.read(pair.refresh, 'refresh').auth_time, signedIn, 'the refresh token carries it too')
  t.equal(tokens.read(signIn.emailAccess(subject, 'sub-1'), 'access').auth_time, signedIn, 'a password login or change')

  clock.advance(20 * 60_000)
  const refresh = tokens.issuer()
  const again = (await refresh.read(async () => ({ id: 'u-1' })))!
  const successor = refresh.pairClaims(again, 'sub-1', 'family-1', tokens.read(pair.refresh, 'refresh').auth_time)
  t.equal(successor.access.auth_time, signedIn, 'a refresh 20 minutes later still says when the sign-in was')
  t.equal(successor.refresh.auth_time, signedIn)
  t.ok(successor.access.iat > signedIn + 1199, 'while the token itself is new')
  const legacy = refresh.pairClaims(again, 'sub-1', 'family-1', undefined)
  t.notOk('auth_time' in legacy.access, 'a predecessor without the claim passes none on: never a recent sign-in')

  const now = clock.now().getTime() / 1000
  const token = (extra: Record<string, unknown>) =>
    signWith('HS256', 'sha256', {
      sub: 's',
      typ: 'access',
      jti: 'j',
      iat: now,
      exp: now + 900,
      iss: TEST_JWT.issuer,
      aud: TEST_JWT.audience,
      ...extra
    })
  t.equal(tokens.read(token({}), 'access').auth_time, undefined, 'a token issued before the claim existed still works')
  t.equal(codec.decode(token({ auth_time: String(signedIn) })), null, 'an auth_time that is no number does not decode')
})

t.test('the algorithm is pinned; issuer and audience are checked', async (t) => {
  const claims = {
    sub: 's',
    typ: 'access',
    jti: 'j',
    iat: 1,
    exp: 9_999_999_999,
    iss: TEST_JWT.issuer,
    aud: TEST_JWT.audience
  }
  t.ok(codec.decode(signWith('HS256', 'sha256', claims)), 'the genuine article')
  t.equal(codec.decode(signWith('HS512', 'sha512', claims)), null, 'HS512 with the same secret')
  t.equal(codec.decode(signWith('HS384', 'sha384', claims)), null)
  t.equal(codec.decode(signWith('HS256', 'sha256', claims).replace(/\.[^.]+$/, '.')), null, 'no signature')
  t.equal(codec.decode(signWith('none', 'sha256', claims)), null)
  t.equal(codec.decode(signWith('HS256', 'sha256', { ...claims, iss: 'someone-else' })), null)
  t.equal(codec.decode(signWith('HS256', 'sha256', { ...claims, aud: 'another-app' })), null)
  t.equal(codec.decode(signWith('HS256', 'sha256', claims, 'another-secret-another-secret-another')), null)
  t.equal(codec.decode(signWith('HS256', 'sha256', { ...claims, typ: 7 })), null, 'claims of the wrong shape')
  const { iss, aud, ...anonymous } = claims
  t.equal(
    codec.decode(signWith('HS256', 'sha256', { ...anonymous, aud })),
    null,
    'no issuer: refused, not waved through'
  )
  t.equal(codec.decode(signWith('HS256', 'sha256', { ...anonymous, iss })), null, 'no audience')
})

t.test('tokens are issued only for what the issuer read after its instant', async (t) => {
  const tokens = makeTokenService({ codec, clock: new ManualClock(), ids: randomIds, settings: TEST_SETTINGS.tokens })
  const first = tokens.issuer()
  const second = tokens.issuer()
  const user = (await first.read(async () => ({ id: 'u-1' })))!
  t.ok(first.pair(user, 'sub-1').access)
  t.throws(
    () => second.pair(user, 'sub-1'),
    /issued only for what their issuer read/,
    "another issuer's read is no proof"
  )
  // @ts-expect-error: a plain object is not Stamped, so skipping the read does not compile
  t.throws(() => first.emailAccess({ id: 'u-1' }, 'sub-1'), /issued only for what their issuer read/)
  t.equal(await first.read(async () => null), null, 'nothing read, nothing to issue for')
})

t.test('expiry is checked with a small leeway for clock skew between instances', async (t) => {
  const clock = new ManualClock()
  const tokens = makeTokenService({
    codec,
    clock,
    ids: randomIds,
    settings: { ...TEST_SETTINGS.tokens, accessTtlSeconds: 60, leewaySeconds: 5 }
  })
  const issuer = tokens.issuer()
  const { access } = issuer.pair((await issuer.read(async () => ({ id: 'u-1' })))!, 'sub-1')
  clock.advance(63_000)
  t.equal(tokens.read(access, 'access').sub, 'sub-1', 'three seconds past exp: inside the leeway')
  clock.advance(3_000)
  t.throws(() => tokens.read(access, 'access'), TokenExpiredError)
  t.throws(() => tokens.read(access, 'refresh'), 'an access token is never a refresh token')
})

t.test('a token whose iat or nbf lies beyond the leeway in the future is refused', async (t) => {
  const clock = new ManualClock()
  const tokens = makeTokenService({
    codec,
    clock,
    ids: randomIds,
    settings: { ...TEST_SETTINGS.tokens, leewaySeconds: 5 }
  })
  const now = clock.now().getTime() / 1000
  const token = (times: Record<string, unknown>) =>
    signWith('HS256', 'sha256', {
      sub: 's',
      typ: 'access',
      jti: 'j',
      iat: now,
      exp: now + 900,
      iss: TEST_JWT.issuer,
      aud: TEST_JWT.audience,
      ...times
    })
  const admitted = (times: Record<string, unknown>): boolean => {
    try {
      return tokens.read(token(times), 'access').sub === 's'
    } catch (error) {
      if (error instanceof InvalidTokenError) return false
      throw error
    }
  }
  t.ok(admitted({}), 'issued now')
  t.ok(admitted({ iat: now + 5 }), 'iat 5 s ahead: inside the leeway (another instance\'s clock)')
  t.notOk(admitted({ iat: now + 5.001 }), 'iat 5.001 s ahead: iat keeps milliseconds, and so does the check')
  t.notOk(admitted({ iat: now + 3600 }), 'iat an hour ahead')
  t.ok(admitted({ nbf: Math.floor(now) - 60 }), 'nbf in the past')
  t.ok(admitted({ nbf: now + 4 }), 'nbf inside the leeway')
  t.notOk(admitted({ nbf: now + 6 }), 'nbf beyond the leeway')
  t.equal(codec.decode(token({ nbf: String(Math.floor(now)) })), null, 'an nbf that is no number does not decode')
  const early = token({ iat: now + 3600, exp: now + 7200 })
  clock.advance(3600_000)
  t.equal(
    tokens.read(early, 'access').sub,
    's',
    'the same token, once its time has come: the refusal was about time alone'
  )
  const strict = makeTokenService({
    codec,
    clock,
    ids: randomIds,
    settings: { ...TEST_SETTINGS.tokens, leewaySeconds: 0 }
  })
  t.throws(
    () => strict.read(token({ iat: clock.now().getTime() / 1000 + 0.001 }), 'access'),
    InvalidTokenError,
    'no leeway: a millisecond ahead is refused'
  )
})

t.test('the TokenCodec contract', async (t) => tokenCodecContract(t, () => createJwtTokenCodec(TEST_JWT)))
