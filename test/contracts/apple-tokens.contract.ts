import { randomUUID } from 'node:crypto'
import { inspect } from 'node:util'
import type { Test } from 'tap'
import type { AppleTokens } from '../../src/application/ports/outbound/apple-tokens.js'
import { ProviderUnavailableError } from '../../src/domain/errors.js'

export type AppleMisconfiguration = 'another key' | 'another key id' | 'another team'

export interface AppleTokensFixture {
  tokens: AppleTokens
  /** Apple's record of the sign-in: a fresh code for an app (its bundle id), single use. */
  issueCode: (clientId: string) => string
  /** The refresh tokens Apple revoked, each with the client that asked. */
  revoked: () => ReadonlyArray<{ token: string, clientId: string }>
  /** Apple fails every request (a 503) until set back. */
  setDown: (down: boolean) => void
  /** Apple takes every request and never answers: the adapter's deadline must end the wait. */
  hang: () => void
  /** The same port, set up with one of the team's settings wrong. */
  misconfigured: (how: AppleMisconfiguration) => Promise<AppleTokens>
  /** What must never be in an error: the private key, and every client secret sent so far. */
  secrets: () => string[]
}

/** A bundle id of its own per test, so no test sees another's codes or revocations. */
export const appClientId = (): string => `com.example.app${randomUUID().slice(0, 8)}`

/**
 * One contract for every AppleTokens: the adapter against a stand-in of Apple's endpoints today,
 * a fake tomorrow. A code the app got exchanges once, as the app it was issued to, for a refresh
 * token; any other code is null; a revocation reaches Apple with its client id; Apple down, slow
 * or refusing our own credentials is ProviderUnavailableError, with no code, token or secret in it.
 */
export function appleTokensContract (t: Test, make: (t: Test) => Promise<AppleTokensFixture>): void {
  t.test('a code exchanges once for a refresh token; the same code again is null', async t => {
    const fixture = await make(t)
    const clientId = appClientId()
    const code = fixture.issueCode(clientId)
    const refreshToken = await fixture.tokens.exchange(code, clientId)
    t.type(refreshToken, 'string')
    t.not(refreshToken, '')
    t.equal(await fixture.tokens.exchange(code, clientId), null, 'a used code')
  })

  t.test('a code issued to another app is null, and so is a code Apple never issued', async t => {
    const fixture = await make(t)
    const clientId = appClientId()
    t.equal(await fixture.tokens.exchange(fixture.issueCode(appClientId()), clientId), null, "another app's code")
    t.equal(await fixture.tokens.exchange(`c${randomUUID()}`, clientId), null, 'an unknown code')
  })

  t.test('two codes give two refresh tokens', async t => {
    const fixture = await make(t)
    const clientId = appClientId()
    const first = await fixture.tokens.exchange(fixture.issueCode(clientId), clientId)
    const second = await fixture.tokens.exchange(fixture.issueCode(clientId), clientId)
    t.ok(first !== null && second !== null && first !== second)
  })

  t.test('a revocation reaches Apple as the client the token was issued to', async t => {
    const fixture = await make(t)
    const clientId = appClientId()
    const otherClientId = appClientId()
    const token = await fixture.tokens.exchange(fixture.issueCode(clientId), clientId)
    const other = await fixture.tokens.exchange(fixture.issueCode(otherClientId), otherClientId)
    await fixture.tokens.revoke(token!, clientId)
    await fixture.tokens.revoke(other!, otherClientId)
    t.same(fixture.revoked(), [{ token, clientId }, { token: other, clientId: otherClientId }])
    await fixture.tokens.revoke(token!, clientId)
    t.equal(fixture.revoked().length, 3, 'a revocation retried after it went through is no error')
  })

  // A wrong key, key id or team id is our fault, not the member's: nothing they send could fix
  // it, so it is not a refused code (null) but "unavailable": the member is asked to retry later,
  // a revocation stays queued, and the failure is logged as a dependency failure for an operator.
  for (const how of ['another key', 'another key id', 'another team'] as const) {
    t.test(`set up with ${how}, both calls are ProviderUnavailableError`, async t => {
      const fixture = await make(t)
      const tokens = await fixture.misconfigured(how)
      const clientId = appClientId()
      const code = fixture.issueCode(clientId)
      await assertUnavailable(t, fixture, tokens.exchange(code, clientId), [code])
      const token = await fixture.tokens.exchange(fixture.issueCode(clientId), clientId)
      await assertUnavailable(t, fixture, tokens.revoke(token!, clientId), [token!])
      t.same(fixture.revoked(), [], 'nothing was revoked')
    })
  }

  t.test('Apple down: both calls are ProviderUnavailableError, and work again once it is back', async t => {
    const fixture = await make(t)
    const clientId = appClientId()
    const token = await fixture.tokens.exchange(fixture.issueCode(clientId), clientId)
    fixture.setDown(true)
    const code = fixture.issueCode(clientId)
    await assertUnavailable(t, fixture, fixture.tokens.exchange(code, clientId), [code])
    await assertUnavailable(t, fixture, fixture.tokens.revoke(token!, clientId), [token!])
    t.same(fixture.revoked(), [])
    fixture.setDown(false)
    t.type(await fixture.tokens.exchange(fixture.issueCode(clientId), clientId), 'string')
    await fixture.tokens.revoke(token!, clientId)
    t.same(fixture.revoked(), [{ token, clientId }])
  })

  t.test('Apple never answering: both calls are ProviderUnavailableError at the deadline', async t => {
    const fixture = await make(t)
    const clientId = appClientId()
    const token = await fixture.tokens.exchange(fixture.issueCode(clientId), clientId)
    fixture.hang()
    const code = fixture.issueCode(clientId)
    await assertUnavailable(t, fixture, fixture.tokens.exchange(code, clientId), [code])
    await assertUnavailable(t, fixture, fixture.tokens.revoke(token!, clientId), [token!])
  })
}

async function assertUnavailable (t: Test, fixture: AppleTokensFixture, call: Promise<unknown>, held: string[]) {
  const error = await call.then(() => null, (error: unknown) => error)
  t.ok(error instanceof ProviderUnavailableError, `ProviderUnavailableError (got ${inspect(error)})`)
  t.equal((error as ProviderUnavailableError | null)?.code, 'provider_unavailable')
  const described = inspect(error, { depth: 10, showHidden: true })
  for (const secret of [...fixture.secrets(), ...held]) {
    t.notOk(described.includes(secret), 'no code, token, key or client secret in the error')
  }
}
