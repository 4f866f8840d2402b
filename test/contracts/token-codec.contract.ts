import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { TokenClaims, TokenCodec } from '../../src/application/ports/system/token-codec.js'

const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  sub: 'member-1',
  typ: 'refresh',
  jti: randomUUID(),
  iat: 1_800_000_000.123,
  exp: 1_800_086_400,
  fam: randomUUID(),
  ...overrides
})

/**
 * One contract for every TokenCodec. Determinism is part of it: the refresh grace window answers
 * a concurrent refresh by re-signing the recorded claims, and the app must get the very same bytes.
 */
export function tokenCodecContract (t: Test, make: () => TokenCodec): void {
  t.test('signing is deterministic: the same claims give the same token, byte for byte', async (t) => {
    const codec = make()
    const recorded = claims()
    t.equal(codec.sign({ ...recorded }), codec.sign(recorded))
    t.equal(make().sign(recorded), codec.sign(recorded), 'on another instance with the same key too')
    t.not(codec.sign(claims()), codec.sign(recorded), 'other claims, another token')
  })

  t.test('a token decodes to the claims it was signed with, milliseconds of iat included', async (t) => {
    const codec = make()
    const { fam, ...access } = claims({ typ: 'access' })
    const decoded = codec.decode(codec.sign(access))
    t.match(decoded, access)
    t.equal(decoded?.fam, undefined, 'no family unless signed with one')
    const family = claims()
    t.match(codec.decode(codec.sign(family)), family)
    t.not(fam, undefined, 'the generator gave the access claims a family, which was left out')
  })

  t.test('any change to a token makes it undecodable', async (t) => {
    const codec = make()
    const token = codec.sign(claims())
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
    forged.sub = 'member-2'
    t.equal(
      codec.decode(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`),
      null,
      'another subject'
    )
    // One bit flipped in the first byte: the signature's last characters carry padding bits a
    // decoder may ignore, so changing them can leave the same bytes (and passed 1 run in 256).
    const bytes = Buffer.from(signature, 'base64url')
    bytes[0]! ^= 1
    t.equal(codec.decode(`${header}.${payload}.${bytes.toString('base64url')}`), null, 'another signature')
    t.equal(codec.decode('not a token'), null)
  })
}
