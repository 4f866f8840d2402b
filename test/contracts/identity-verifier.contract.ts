import { randomBytes, randomUUID } from 'node:crypto'
import { inspect } from 'node:util'
import type { Test } from 'tap'
import type { IdentityLookup, IdentityVerifier } from '../../src/application/ports/outbound/identity-verifier.js'
import { IdentityUnavailableError } from '../../src/domain/errors.js'
import type { VerifiedIdentity } from '../../src/domain/identity.js'

export interface IdentityVerifierFixture {
  verifier: IdentityVerifier
  /** Records a completed verification of this person under its verificationId, as the provider holds it. */
  addVerified: (identity: VerifiedIdentity) => void
  /** A verification started and never completed (PortOne's READY). */
  addPending: (verificationId: string) => void
  /** A verification the person gave up or the carrier refused (PortOne's FAILED). */
  addFailed: (verificationId: string) => void
  /** A completed verification another store made, which our credentials may not read. */
  addOtherStore: (verificationId: string) => void
  /**
   * Makes the provider fail the next look-up: `error`, it answers a server error; `hang`, it takes
   * the request and never answers (the adapter's deadline must end the wait).
   */
  fail: (how: 'error' | 'hang') => void
  /** What the adapter holds that must never be in an error. */
  secrets: string[]
}

/** A verification id as apps send them: PortOne ids are the store's own strings. */
export const verificationId = (): string => `identity-verification-${randomUUID()}`

/** A person with every field the provider can return, and a CI and DI of their own. */
export function verifiedPerson (overrides: Partial<VerifiedIdentity> = {}): VerifiedIdentity {
  return {
    verificationId: verificationId(),
    ci: randomBytes(64).toString('base64'),
    di: randomBytes(48).toString('base64'),
    name: '홍길동',
    birth: '1990-01-15',
    gender: 'male',
    phone: '01012345678',
    carrier: 'SKT',
    foreigner: false,
    // Whole milliseconds, as the provider's RFC 3339 times carry.
    verifiedAt: new Date(Math.floor(Date.now() / 1000) * 1000 - 90_000),
    ...overrides
  }
}

/** The lookup with its date as text, so t.same compares the instant and not the object. */
function comparable (lookup: IdentityLookup) {
  return lookup.found
    ? { found: true, identity: { ...lookup.identity, verifiedAt: lookup.identity.verifiedAt.toISOString() } }
    : lookup
}

async function assertFinds (t: Test, fixture: IdentityVerifierFixture, person: VerifiedIdentity) {
  const lookup = await fixture.verifier.lookUp(person.verificationId)
  t.same(comparable(lookup), comparable({ found: true, identity: person }))
}

async function assertUnavailable (t: Test, fixture: IdentityVerifierFixture, person: VerifiedIdentity) {
  const error = await fixture.verifier.lookUp(person.verificationId).then(() => null, (error: unknown) => error)
  t.ok(error instanceof IdentityUnavailableError, 'IdentityUnavailableError')
  t.equal((error as IdentityUnavailableError).code, 'identity_unavailable')
  const described = inspect(error, { depth: 10, showHidden: true })
  for (const secret of fixture.secrets) t.notOk(described.includes(secret), 'no credential in the error')
  t.notOk(described.includes(person.ci!), 'no CI in the error')
  t.notOk(described.includes(person.di!), 'no DI in the error')
}

/**
 * One contract for every IdentityVerifier: memory, and PortOne's SDK against a local stand-in of
 * its V2 API. A completed verification answers the person with every field the provider
 * recorded; a verification not completed, unknown, or another store's confirms no one, each for
 * its own reason; a provider that fails or never answers is IdentityUnavailableError, with no
 * credential, CI or DI in it.
 */
export function identityVerifierContract (t: Test, make: (t: Test) => Promise<IdentityVerifierFixture>): void {
  t.test('a completed verification answers the person, every field as recorded', async t => {
    const fixture = await make(t)
    const person = verifiedPerson()
    fixture.addVerified(person)
    await assertFinds(t, fixture, person)
  })

  t.test('a woman abroad on an MVNO: gender, foreigner and carrier as recorded', async t => {
    const fixture = await make(t)
    const person = verifiedPerson({
      name: 'SMITH JANE',
      birth: '1985-12-31',
      gender: 'female',
      carrier: 'KT_MVNO',
      foreigner: true,
      phone: '01098765432'
    })
    fixture.addVerified(person)
    await assertFinds(t, fixture, person)
  })

  t.test('fields the provider did not return are null', async t => {
    const fixture = await make(t)
    const person = verifiedPerson({
      ci: null, di: null, birth: null, gender: null, phone: null, carrier: null, foreigner: null
    })
    fixture.addVerified(person)
    await assertFinds(t, fixture, person)
  })

  t.test('two people verified: each id answers its own person', async t => {
    const fixture = await make(t)
    const first = verifiedPerson()
    const second = verifiedPerson({ name: '김철수', gender: 'male', birth: '2001-07-04' })
    fixture.addVerified(first)
    fixture.addVerified(second)
    const [one, two] = await Promise.all([
      fixture.verifier.lookUp(first.verificationId),
      fixture.verifier.lookUp(second.verificationId)
    ])
    t.same(comparable(one), comparable({ found: true, identity: first }))
    t.same(comparable(two), comparable({ found: true, identity: second }))
  })

  t.test('a verification started and not completed is not_verified', async t => {
    const fixture = await make(t)
    const id = verificationId()
    fixture.addPending(id)
    t.same(await fixture.verifier.lookUp(id), { found: false, reason: 'not_verified' })
  })

  t.test('a failed verification is not_verified', async t => {
    const fixture = await make(t)
    const id = verificationId()
    fixture.addFailed(id)
    t.same(await fixture.verifier.lookUp(id), { found: false, reason: 'not_verified' })
  })

  t.test('an id the provider does not know is not_found', async t => {
    const fixture = await make(t)
    fixture.addVerified(verifiedPerson())
    t.same(await fixture.verifier.lookUp(verificationId()), { found: false, reason: 'not_found' })
  })

  t.test("another store's verification is other_store", async t => {
    const fixture = await make(t)
    const id = verificationId()
    fixture.addOtherStore(id)
    t.same(await fixture.verifier.lookUp(id), { found: false, reason: 'other_store' })
  })

  t.test('a provider that fails is IdentityUnavailableError, with no credential, CI or DI in it', async t => {
    const fixture = await make(t)
    const person = verifiedPerson()
    fixture.addVerified(person)
    fixture.fail('error')
    await assertUnavailable(t, fixture, person)
  })

  t.test('a provider that never answers is IdentityUnavailableError (the deadline ends the wait)', async t => {
    const fixture = await make(t)
    const person = verifiedPerson()
    fixture.addVerified(person)
    fixture.fail('hang')
    await assertUnavailable(t, fixture, person)
  })
}
