import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { jwtKeySet } from '../../src/adapters/config/jwt-keys-config.js'
import { ConfigError, loadConfig } from '../../src/adapters/config/load-config.js'
import { generateSigningKey, secretSigningKey } from '../../src/adapters/system/signing-keys.js'
import { runToExit } from '../helpers/run-to-exit.js'

// JWT_KEYS, JWT_SIGNING_KEY and JWT_SECRET_VERIFIES: a bad key set is refused at start, every
// problem named with the key's place and kid, never with key material.

const SECRET = 'aHgWq5PRFj4OC5Dpc4UhkLDdYZ7I25qp36JriK9dq0w'
const SECRET_KID = secretSigningKey(SECRET).kid
const ED = generateSigningKey('EdDSA', 'ed-1')
const ED2 = generateSigningKey('EdDSA', 'ed-2')
const HS = generateSigningKey('HS256', 'hs-1')
const keys = (...jwks: object[]) => JSON.stringify(jwks)

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ JWT_SECRET: SECRET, ...env })
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}
const setOf = (env: Record<string, string>) => jwtKeySet(loadConfig({ JWT_SECRET: SECRET, ...env }).jwt.keys, SECRET)

t.test("unset: JWT_SECRET's key alone signs and checks tokens without a kid, as before", async (t) => {
  t.same(setOf({}), { keys: [secretSigningKey(SECRET)], signingKid: SECRET_KID, unkeyedKid: SECRET_KID })
  t.same(setOf({ JWT_SIGNING_KEY: SECRET_KID }).signingKid, SECRET_KID, 'naming its kid changes nothing')
  t.equal(SECRET_KID, secretSigningKey(SECRET).kid, 'every instance with the secret derives the same kid')
  t.match(SECRET_KID, /^hs256-[\w-]{16}$/)
})

t.test('a key added verify-only, promoted, then JWT_SECRET retired', async (t) => {
  const added = setOf({ JWT_KEYS: keys(ED.jwk), JWT_SIGNING_KEY: SECRET_KID })
  t.same(added.keys.map(key => key.kid), ['ed-1', SECRET_KID])
  t.equal(added.signingKid, SECRET_KID)
  t.equal(added.unkeyedKid, SECRET_KID)
  t.equal(setOf({ JWT_KEYS: keys(ED.jwk), JWT_SIGNING_KEY: 'ed-1' }).signingKid, 'ed-1')
  const retired = setOf({ JWT_KEYS: keys(ED.jwk), JWT_SECRET_VERIFIES: 'false' })
  t.same(retired, { keys: [ED], signingKid: 'ed-1', unkeyedKid: null }, 'one key left: it signs, unnamed')
  t.same(
    setOf({ JWT_KEYS: keys(ED.jwk, ED2.jwk, HS.jwk), JWT_SIGNING_KEY: 'ed-2', JWT_SECRET_VERIFIES: 'false' }).keys
      .map(key => key.alg),
    ['EdDSA', 'EdDSA', 'HS256'],
    'HS256 keys of their own may be listed too'
  )
})

t.test('every bad key configuration is refused, named, and never echoes key material', async (t) => {
  const { d, ...publicOnly } = ED.jwk
  const es256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['not JSON', { JWT_KEYS: '{"kid":' }, /^JWT_KEYS must be a JSON array of JWKs/],
    ['not an array', { JWT_KEYS: JSON.stringify(ED.jwk) }, /^JWT_KEYS must be a non-empty JSON array/],
    ['an empty array', { JWT_KEYS: '[]' }, /^JWT_KEYS must be a non-empty JSON array/],
    ['an entry that is no object', { JWT_KEYS: '["x"]' }, /^JWT_KEYS key 1: must be a JWK object/],
    ['no kid', { JWT_KEYS: keys({ ...ED.jwk, kid: undefined }) }, /^JWT_KEYS key 1: needs a kid/],
    ['a kid with spaces', { JWT_KEYS: keys({ ...ED.jwk, kid: 'my key' }) }, /^JWT_KEYS key 1: needs a kid/],
    ['an unknown alg', { JWT_KEYS: keys({ ...ED.jwk, alg: 'RS256' }) }, /"ed-1"\): alg must be one of HS256, EdDSA/],
    ['no alg', { JWT_KEYS: keys({ ...ED.jwk, alg: undefined }) }, /key 1 \(kid "ed-1"\): alg must be one of/],
    ['ES256', { JWT_KEYS: keys({ ...es256, kid: 'es-1', alg: 'ES256' }) }, /kid "es-1"\): alg ES256 is not offered/],
    ['alg none', { JWT_KEYS: keys({ ...HS.jwk, alg: 'none' }) }, /alg must be one of/],
    ['use enc', { JWT_KEYS: keys({ ...ED.jwk, use: 'enc' }) }, /use must be "sig"/],
    ['no private part', { JWT_KEYS: keys(publicOnly) }, /kid "ed-1"\): lacks its private part \(d\)/],
    ['EdDSA on X25519', { JWT_KEYS: keys({ ...ED.jwk, crv: 'X25519' }) }, /must have kty "OKP" and crv "Ed25519"/],
    ['EdDSA of kty oct', { JWT_KEYS: keys({ ...HS.jwk, alg: 'EdDSA' }) }, /must have kty "OKP"/],
    ['a public part of another key', { JWT_KEYS: keys({ ...ED.jwk, x: ED2.jwk.x }) }, /does not match its private/],
    ['a broken private part', { JWT_KEYS: keys({ ...ED.jwk, d: 'AAAA' }) }, /kid "ed-1"\): is not a valid key/],
    ['HS256 of kty OKP', { JWT_KEYS: keys({ ...ED.jwk, alg: 'HS256' }) }, /an HS256 key must have kty "oct"/],
    ['HS256 without k', { JWT_KEYS: keys({ ...HS.jwk, k: undefined }) }, /needs its secret in k/],
    [
      'HS256 shorter than 32 bytes',
      { JWT_KEYS: keys({ ...HS.jwk, k: Buffer.alloc(31, 7).toString('base64url') }) },
      /kid "hs-1"\): an HS256 key must be at least 32 bytes/
    ],
    ['a duplicate kid', { JWT_KEYS: keys(ED.jwk, { ...ED2.jwk, kid: 'ed-1' }) }, /key 2 \(kid "ed-1"\): duplicate kid/],
    ['the secret key listed again', { JWT_KEYS: keys(secretSigningKey(SECRET).jwk) }, /kid of JWT_SECRET's own key/],
    ['no signing kid for two keys', { JWT_KEYS: keys(ED.jwk) }, /^JWT_SIGNING_KEY is required when more than one/],
    [
      'no signing kid for two listed keys',
      { JWT_KEYS: keys(ED.jwk, ED2.jwk), JWT_SECRET_VERIFIES: 'false' },
      /^JWT_SIGNING_KEY is required/
    ],
    [
      'a signing kid not listed',
      { JWT_KEYS: keys(ED.jwk), JWT_SIGNING_KEY: 'ed-9' },
      /^JWT_SIGNING_KEY names kid "ed-9", which is not in the set \(ed-1, hs256-/
    ],
    [
      'the retired secret named to sign',
      { JWT_KEYS: keys(ED.jwk), JWT_SIGNING_KEY: SECRET_KID, JWT_SECRET_VERIFIES: 'false' },
      /^JWT_SIGNING_KEY names kid "hs256-[\w-]+", which is not in the set \(ed-1\)$/
    ],
    ['a signing kid without JWT_KEYS', { JWT_SIGNING_KEY: 'ed-1' }, /^JWT_SIGNING_KEY names kid "ed-1", which is not/],
    ['the secret retired with nothing else', { JWT_SECRET_VERIFIES: 'false' }, /^JWT_SECRET_VERIFIES can be false only/]
  ]
  for (const [what, env, expected] of cases) {
    const found = problems(env)
    t.equal(found.length, 1, `${what}: one problem`)
    t.match(found[0], expected, what)
    for (const secret of [ED.jwk.d!, ED2.jwk.d!, HS.jwk.k!, SECRET]) {
      t.notOk(found.join(' ').includes(secret), `${what}: no key material in the message`)
    }
  }
  t.same(
    problems({ JWT_KEYS: keys({ ...ED.jwk, alg: 'RS256' }, { ...HS.jwk, k: 'AA' }, ED2.jwk) }).length,
    2,
    'every bad key at once; the signing kid is not asked of a set already refused'
  )
})

t.test('at start: one JSON line naming the problem, exit 78, no key material', async (t) => {
  const run = await runToExit('main', [], {
    JWT_SECRET: SECRET,
    JWT_KEYS: keys({ ...ED.jwk, alg: 'ES256' }),
    DATA_DIR: t.testdir()
  })
  t.equal(run.code, 78)
  const lines = run.stdout.split('\n').filter(line => line !== '')
  t.equal(lines.length, 1)
  const line = JSON.parse(lines[0]!)
  t.equal(line.event, 'config.invalid')
  t.match(line.problems, [/^JWT_KEYS key 1 \(kid "ed-1"\): alg ES256 is not offered/])
  t.notOk(run.stdout.includes(ED.jwk.d!) || run.stderr.includes(ED.jwk.d!), 'the private key never printed')
})
