import { createHmac, createPublicKey, sign } from 'node:crypto'
import t from 'tap'
import { createJwtTokenCodec } from '../../src/adapters/jwt/jwt-token-codec.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import {
  generateSigningKey,
  privateKeyOf,
  publicJwks,
  secretSigningKey,
  type SigningKey,
  type SigningKeySet
} from '../../src/adapters/system/signing-keys.js'
import { makeTokenService } from '../../src/application/sessions/token-service.js'
import { InvalidTokenError, TokenExpiredError } from '../../src/domain/errors.js'
import { TEST_CODEC, TEST_JWT, TEST_SETTINGS } from '../helpers/build-test-app.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { tokenCodecContract } from '../contracts/token-codec.contract.js'

const codec = createJwtTokenCodec(TEST_CODEC)
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
  t.same(header, { alg: 'HS256', typ: 'JWT', kid: secretSigningKey(TEST_JWT.secret).kid }, 'the kid of JWT_SECRET')
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
  t.ok(refresh.signPair(again, refresh.pairClaims('sub-1', 'family-1', undefined)).access, 'signed for what it read')
  const successor = refresh.pairClaims('sub-1', 'family-1', tokens.read(pair.refresh, 'refresh').auth_time)
  t.equal(successor.access.auth_time, signedIn, 'a refresh 20 minutes later still says when the sign-in was')
  t.equal(successor.refresh.auth_time, signedIn)
  t.ok(successor.access.iat > signedIn + 1199, 'while the token itself is new')
  const legacy = refresh.pairClaims('sub-1', 'family-1', undefined)
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
  const continued = second.pairClaims('sub-1', 'family-1', undefined)
  t.throws(
    () => second.signPair(user, continued),
    /issued only for what their issuer read/,
    'claims made ahead of the read are signed only for what the issuer then read'
  )
  t.ok(first.signPair(user, continued).refresh)
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

t.test('the TokenCodec contract, HS256', async (t) => tokenCodecContract(t, () => createJwtTokenCodec(TEST_CODEC)))

const edKey = generateSigningKey('EdDSA', 'ed-a')
const edSet = (...keys: SigningKey[]): SigningKeySet => ({ keys, signingKid: keys[0]!.kid, unkeyedKid: null })
const codecOf = (keys: SigningKeySet) => createJwtTokenCodec({ ...TEST_CODEC, keys })

t.test('the TokenCodec contract, EdDSA', async (t) => tokenCodecContract(t, () => codecOf(edSet(edKey))))

const CLAIMS = {
  sub: 's',
  typ: 'access' as const,
  jti: 'j',
  iat: 1_800_000_000.5,
  exp: 1_800_000_900,
  iss: TEST_JWT.issuer,
  aud: TEST_JWT.audience
}
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const hmacToken = (header: object, secret: string | Buffer) => {
  const body = `${encode(header)}.${encode(CLAIMS)}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}
const edToken = (header: object, key: SigningKey) => {
  const body = `${encode(header)}.${encode(CLAIMS)}`
  return `${body}.${sign(null, Buffer.from(body), privateKeyOf(key.jwk)).toString('base64url')}`
}

t.test('every token names its key; any key of the set verifies, only the signing key signs', async (t) => {
  const hs = secretSigningKey(TEST_JWT.secret)
  const ed = codecOf({ keys: [edKey, hs], signingKid: edKey.kid, unkeyedKid: hs.kid })
  const token = ed.sign(CLAIMS)
  t.same(parts(token)[0], { alg: 'EdDSA', typ: 'JWT', kid: 'ed-a' })
  t.match(ed.decode(token), { sub: 's', iat: CLAIMS.iat }, 'iat keeps its fraction under EdDSA too')
  t.match(ed.decode(codec.sign(CLAIMS)), { sub: 's' }, "a token of the set's HS256 key")
  t.match(ed.decode(signWith('HS256', 'sha256', CLAIMS)), { sub: 's' }, 'a token without a kid: the secret verifies it')
  t.equal(ed.decode(hmacToken({ alg: 'HS256', typ: 'JWT', kid: hs.kid }, 'another-secret-another-secret-01')), null)

  const retired = codecOf(edSet(edKey))
  t.match(retired.decode(token), { sub: 's' })
  t.equal(retired.decode(codec.sign(CLAIMS)), null, 'the HS256 key retired: its tokens fail')
  t.equal(retired.decode(signWith('HS256', 'sha256', CLAIMS)), null, 'and so do tokens without a kid')

  const other = generateSigningKey('EdDSA', 'ed-b')
  t.equal(retired.decode(edToken({ alg: 'EdDSA', typ: 'JWT', kid: 'ed-b' }, other)), null, 'a kid not in the set')
  t.equal(retired.decode(edToken({ alg: 'EdDSA', typ: 'JWT', kid: 'ed-a' }, other)), null, 'another key under its kid')
  t.equal(retired.decode(edToken({ alg: 'EdDSA', typ: 'JWT' }, edKey)), null, 'no kid and no secret key: refused')
  t.equal(retired.decode(edToken({ alg: 'EdDSA', typ: 'JWT', kid: 7 }, edKey)), null, 'a kid that is no string')
  t.equal(retired.decode(`${encode([1])}.${encode(CLAIMS)}.AAAA`), null, 'a header that is no object')
  t.equal(retired.decode(`bm90IGpzb24.${encode(CLAIMS)}.AAAA`), null, 'a header that is no JSON')
  t.throws(() => codecOf({ keys: [edKey], signingKid: 'nobody', unkeyedKid: null }), /not in the key set/)
})

t.test('the algorithm is pinned per key: no confusion between HS256, EdDSA and none', async (t) => {
  const hs = secretSigningKey(TEST_JWT.secret)
  const set = codecOf({ keys: [edKey, hs], signingKid: edKey.kid, unkeyedKid: hs.kid })
  const publicPem = createPublicKey(privateKeyOf(edKey.jwk)).export({ format: 'pem', type: 'spki' }).toString()
  for (const [secret, what] of [
    [publicPem, 'the PEM'],
    [Buffer.from(edKey.jwk.x!, 'base64url'), 'the raw bytes'],
    [JSON.stringify(publicJwks([edKey]).keys[0]), 'the JWK']
  ] as const) {
    t.equal(
      set.decode(hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'ed-a' }, secret)),
      null,
      `HS256 under the EdDSA kid, keyed with its public key (${what}): refused`
    )
    t.equal(set.decode(hmacToken({ alg: 'HS256', typ: 'JWT' }, secret)), null, `and without a kid (${what})`)
  }
  t.equal(
    set.decode(hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'ed-a' }, TEST_JWT.secret)),
    null,
    'HS256 with the real secret, but under the EdDSA kid: refused'
  )
  t.equal(set.decode(edToken({ alg: 'HS256', typ: 'JWT', kid: 'ed-a' }, edKey)), null, 'EdDSA signature, HS256 header')
  t.equal(set.decode(edToken({ alg: 'EdDSA', typ: 'JWT', kid: hs.kid }, edKey)), null, 'EdDSA under the HS256 kid')
  t.equal(set.decode(`${encode({ alg: 'none', kid: 'ed-a' })}.${encode(CLAIMS)}.`), null, 'none, no signature')
  t.equal(set.decode(`${encode({ alg: 'none' })}.${encode(CLAIMS)}.AAAA`), null, 'none without a kid')
  t.match(set.decode(edToken({ alg: 'EdDSA', typ: 'JWT', kid: 'ed-a' }, edKey)), { sub: 's' }, 'the genuine article')
})

t.test('the JWKS of a set: Ed25519 public halves only', async (t) => {
  const hs = generateSigningKey('HS256', 'hs-a')
  const jwks = publicJwks([edKey, hs, secretSigningKey(TEST_JWT.secret)])
  t.same(jwks.keys, [{ kty: 'OKP', crv: 'Ed25519', x: edKey.jwk.x, kid: 'ed-a', alg: 'EdDSA', use: 'sig' }])
  t.same(publicJwks([hs]), { keys: [] }, 'HS256 keys alone publish nothing')
  t.equal(Buffer.from(hs.jwk.k!, 'base64url').length, 32, 'a generated HS256 key has 32 bytes')
  t.match(generateSigningKey('EdDSA').kid, /^eddsa-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/, 'a kid: algorithm and day')
  t.not(secretSigningKey('x'.repeat(32)).kid, secretSigningKey('y'.repeat(32)).kid, 'the secret kid follows the secret')
  t.notMatch(secretSigningKey(TEST_JWT.secret).kid, Buffer.from(TEST_JWT.secret).toString('base64url').slice(0, 8))
})
