import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { runKeysCommand } from '../../src/adapters/cli/keys-command.js'
import { EXIT } from '../../src/adapters/cli/command-outcome.js'
import { jwtKeySet } from '../../src/adapters/config/jwt-keys-config.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { secretSigningKey } from '../../src/adapters/system/signing-keys.js'

const SECRET = 'aHgWq5PRFj4OC5Dpc4UhkLDdYZ7I25qp36JriK9dq0w'
const SECRET_KID = secretSigningKey(SECRET).kid

t.test('keys generate: a private JWK the service takes as it is', async (t) => {
  const ed = await runKeysCommand(['generate', '--alg', 'EdDSA', '--kid', 'ed-2026'], {})
  t.equal(ed.code, EXIT.ok)
  t.equal(ed.line.event, 'keys.generated')
  t.match(ed.line, { kid: 'ed-2026', alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', kid: 'ed-2026', alg: 'EdDSA' } })
  const jwk = ed.line.jwk as Record<string, string>
  t.match(jwk.d, /^[\w-]{43}$/, 'the private part: the one secret a command prints')
  t.match(ed.line.next, /JWT_KEYS/)

  const hs = await runKeysCommand(['generate', '--alg', 'HS256'], {})
  t.equal(hs.code, EXIT.ok)
  const hsJwk = hs.line.jwk as Record<string, string>
  t.equal(Buffer.from(hsJwk.k!, 'base64url').length, 32)
  t.match(hs.line.kid, /^hs256-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/, 'a kid of its own when none is given')
  const again = await runKeysCommand(['generate', '--alg', 'EdDSA'], {})
  t.not((again.line.jwk as Record<string, string>).d, jwk.d, 'a new key every time')

  const set = jwtKeySet(
    loadConfig({ JWT_SECRET: SECRET, JWT_KEYS: JSON.stringify([jwk, hsJwk]), JWT_SIGNING_KEY: 'ed-2026' }).jwt.keys,
    SECRET
  )
  t.same(set.keys.map(key => key.kid), ['ed-2026', hs.line.kid, SECRET_KID], 'both taken by JWT_KEYS')
})

t.test('keys generate refuses what it cannot make, as a usage problem', async (t) => {
  for (const [args, problem] of [
    [['generate'], /needs --alg HS256 or EdDSA/],
    [['generate', '--alg', 'RS256'], /needs --alg/],
    [['generate', '--alg', 'ES256'], /ES256 is not offered/],
    [['generate', '--alg', 'EdDSA', '--kid', 'a b'], /--kid takes/],
    [['generate', '--alg', 'EdDSA', '--colour'], /Unknown option '--colour'/],
    [['rotate'], /unknown keys command 'rotate'/],
    [[], /keys needs a command/]
  ] as const) {
    const outcome = await runKeysCommand([...args], {})
    t.equal(outcome.code, EXIT.usage, args.join(' '))
    t.match(outcome.line, {
      event: 'cli.usage',
      problem,
      usage: ['cli.js keys generate --alg HS256|EdDSA [--kid K]', 'cli.js keys list']
    })
  }
})

t.test('keys list: kid, alg, use and which signs, never key material', async (t) => {
  const today = await runKeysCommand(['list'], { JWT_SECRET: SECRET })
  t.equal(today.code, EXIT.ok)
  t.same(today.line, {
    event: 'keys.listed',
    keys: [{
      kid: SECRET_KID,
      alg: 'HS256',
      use: 'sig',
      signing: true,
      from: 'JWT_SECRET',
      published: false,
      verifiesTokensWithoutKid: true
    }]
  })

  const generated = await runKeysCommand(['generate', '--alg', 'EdDSA', '--kid', 'ed-1'], {})
  const ed = generated.line.jwk as Record<string, string>
  const added = await runKeysCommand(['list'], {
    JWT_SECRET: SECRET,
    JWT_KEYS: JSON.stringify([ed]),
    JWT_SIGNING_KEY: 'ed-1'
  })
  t.equal(added.code, EXIT.ok)
  t.match(added.line.keys, [
    { kid: 'ed-1', alg: 'EdDSA', signing: true, from: 'JWT_KEYS', published: true },
    { kid: SECRET_KID, alg: 'HS256', signing: false, from: 'JWT_SECRET', verifiesTokensWithoutKid: true }
  ])
  const printed = JSON.stringify(added.line)
  for (const secret of [ed.d!, SECRET, Buffer.from(SECRET).toString('base64url')]) {
    t.notOk(printed.includes(secret), 'no private part, no secret')
  }

  const retired = await runKeysCommand(['list'], {
    JWT_SECRET: SECRET,
    JWT_KEYS: JSON.stringify([ed]),
    JWT_SECRET_VERIFIES: 'false'
  })
  t.same((retired.line.keys as Array<{ kid: string }>).map(key => key.kid), ['ed-1'], 'JWT_SECRET retired')
})

t.test("keys list: the service's generated secret when JWT_SECRET is unset; a bad set exits 78", async (t) => {
  const dir = t.testdir()
  t.same((await runKeysCommand(['list'], { DATA_DIR: dir })).line, { event: 'keys.listed', keys: [] }, 'none yet')
  await writeFile(join(dir, 'jwt-secret'), SECRET + '\n')
  const generated = await runKeysCommand(['list'], { DATA_DIR: dir })
  t.match(generated.line.keys, [{ kid: SECRET_KID, signing: true }])

  const bad = await runKeysCommand(['list'], { JWT_SECRET: SECRET, JWT_KEYS: '[{"kid":"x","alg":"RS256"}]' })
  t.equal(bad.code, EXIT.config)
  t.match(bad.line, { event: 'config.invalid', problems: [/^JWT_KEYS key 1 \(kid "x"\): alg must be one of/] })
  const short = await runKeysCommand(['list'], { JWT_SECRET: 'tooShortSecret' })
  t.equal(short.code, EXIT.config)
  t.match(short.line, { problems: ['JWT_SECRET must be at least 32 characters'] })
  t.notOk(JSON.stringify(short.line).includes('tooShortSecret'), 'the secret is named, not echoed')
})
