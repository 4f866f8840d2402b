import t from 'tap'
import { createOtpauthTotpAuthenticator } from '../../src/adapters/system/otpauth-totp-authenticator.js'

const totp = createOtpauthTotpAuthenticator()
// RFC 6238 appendix B's SHA-1 key, the ASCII "12345678901234567890", in base32.
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii')
const SECRET = base32(RFC_SECRET)

/** RFC 4648 base32, written out here so the test does not lean on the library it checks. */
function base32 (bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0')
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk.padEnd(5, '0'), 2)]).join('')
}

// RFC 6238 appendix B, SHA-1: the 8-digit codes; a 6-digit code is the same number modulo 10^6.
const VECTORS: Array<[seconds: number, code: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130']
]

t.test('RFC 6238 SHA-1 test vectors, truncated to 6 digits, match their own time step', async (t) => {
  t.equal(SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
  for (const [seconds, code] of VECTORS) {
    t.equal(
      totp.matchStep(SECRET, code.slice(-6), new Date(seconds * 1000)),
      Math.floor(seconds / 30),
      `T=${seconds}: ${code.slice(-6)}`
    )
  }
})

t.test('one step either side is accepted and answers the step the code belongs to; two is not', async (t) => {
  const code = '050471' // step 37037037 (T = 1111111111)
  const step = 37037037
  t.equal(totp.matchStep(SECRET, code, new Date((step - 1) * 30_000)), step, 'a step early (the server clock behind)')
  t.equal(
    totp.matchStep(SECRET, code, new Date((step + 1) * 30_000 + 29_999)),
    step,
    'a step late (typed as it turned)'
  )
  t.equal(totp.matchStep(SECRET, code, new Date((step + 2) * 30_000)), null, 'two steps late')
  t.equal(totp.matchStep(SECRET, code, new Date((step - 2) * 30_000 + 29_999)), null, 'two steps early')
})

t.test('a wrong or malformed code is null, never an error', async (t) => {
  const at = new Date(59_000)
  for (const code of [
    '287083',
    '28708',
    '2870820',
    '28708a',
    'abcdef',
    '',
    '      ',
    '２８７０８２',
    '-28708',
    '287082\n1'
  ]) {
    t.equal(totp.matchStep(SECRET, code, at), null, JSON.stringify(code))
  }
  t.equal(totp.matchStep(SECRET, '287 082', at), 1, 'the space apps show in the middle is allowed')
})

t.test('new secrets: 20 random bytes (32 base32 characters, no padding), each different', async (t) => {
  const secrets = Array.from({ length: 20 }, () => totp.newSecret())
  for (const secret of secrets) t.match(secret, /^[A-Z2-7]{32}$/)
  t.equal(new Set(secrets).size, secrets.length)
})

t.test('the otpauth URI carries the parameters every authenticator app assumes', async (t) => {
  const uri = new URL(totp.uri(SECRET, 'reviewer@example.com'))
  t.equal(uri.protocol, 'otpauth:')
  t.equal(uri.host, 'totp')
  t.equal(decodeURIComponent(uri.pathname), '/mobile-auth:reviewer@example.com')
  t.same(Object.fromEntries(uri.searchParams), {
    issuer: 'mobile-auth',
    secret: SECRET,
    algorithm: 'SHA1',
    digits: '6',
    period: '30'
  })
})
