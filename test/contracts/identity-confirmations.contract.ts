import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError } from '../../src/domain/errors.js'
import { confirmedIdentity, emailUser, phoneUser, type MakeUserStores } from './user-stores-fixture.js'

const USED = new DuplicateValueError('identity_verification_id')

/** One contract for every IdentityConfirmations adapter: memory, PGlite, PostgreSQL. */
export function identityConfirmationsContract (t: Test, make: MakeUserStores): void {
  t.test('an attached confirmation reads back field for field', async t => {
    const { accounts, identities, catalog } = await make(t)
    const member = phoneUser(catalog)
    const bare = phoneUser(catalog)
    await accounts.create(member)
    await accounts.create(bare)
    const full = confirmedIdentity()
    t.equal(await identities.attach(member.id, full, null), true)
    t.same(await identities.find(member.id), full)
    t.equal((await identities.find(member.id))?.verifiedAt.toISOString(), full.verifiedAt.toISOString(), 'to the ms')
    t.equal((await identities.find(member.id))?.confirmedAt.toISOString(), full.confirmedAt.toISOString())
    // What a provider may leave out stays left out (null, not '' or false).
    const sparse = confirmedIdentity({
      ci: null,
      di: null,
      birth: null,
      gender: null,
      phone: null,
      mobile: null,
      carrier: null,
      foreigner: null
    })
    t.equal(await identities.attach(bare.id, sparse, null), true)
    t.same(await identities.find(bare.id), sparse)
    t.equal(await identities.find(randomUUID()), null, 'no such member')
    t.equal(await identities.find((await accounts.create(phoneUser(catalog))).id), null, 'a member without one')
  })

  t.test('a verification id confirms once, ever', async t => {
    const { accounts, identities, catalog } = await make(t)
    const [first, second, third] = [phoneUser(catalog), phoneUser(catalog), phoneUser(catalog)]
    for (const input of [first, second, third]) await accounts.create(input)
    const attached = confirmedIdentity()
    t.equal(await identities.attach(first.id, attached, null), true)
    await t.rejects(
      identities.attach(second.id, confirmedIdentity({ verificationId: attached.verificationId }), null),
      USED,
      'used by another member'
    )

    const signUp = confirmedIdentity()
    await accounts.create({ ...phoneUser(catalog), identity: signUp })
    await t.rejects(
      identities.attach(second.id, confirmedIdentity({ verificationId: signUp.verificationId }), null),
      USED,
      'used at a sign-up'
    )

    await accounts.delete(first.id)
    await t.rejects(
      identities.attach(second.id, confirmedIdentity({ verificationId: attached.verificationId }), null),
      USED,
      'used by a member since deleted'
    )
    t.equal(await identities.find(second.id), null, 'the refusals wrote nothing')
    t.equal((await accounts.findProfileById(second.id))?.profile?.uniqueKey, second.profile!.uniqueKey)
    t.equal(await identities.attach(third.id, confirmedIdentity(), null), true, 'a fresh id still confirms')
  })

  t.test('a member holds one confirmation: a second is refused and leaves its id unused', async t => {
    const { accounts, identities, catalog } = await make(t)
    const [member, other] = [phoneUser(catalog), phoneUser(catalog)]
    await accounts.create(member)
    await accounts.create(other)
    const first = confirmedIdentity()
    t.equal(await identities.attach(member.id, first, null), true)
    const second = confirmedIdentity()
    await t.rejects(identities.attach(member.id, second, null), USED)
    t.same(await identities.find(member.id), first, 'the first stands')
    t.equal((await accounts.findProfileById(member.id))?.profile?.uniqueKey, first.ci, 'the profile keeps its key')
    t.equal(await identities.attach(other.id, second, null), true, 'the refused id was never used')
  })

  t.test('no member, or a member without a profile: false, nothing written', async t => {
    const { accounts, identities, catalog } = await make(t)
    const unknown = randomUUID()
    const identity = confirmedIdentity()
    t.equal(await identities.attach(unknown, identity, 'KT'), false)
    t.equal(await identities.find(unknown), null)
    const emailOnly = emailUser()
    await accounts.create(emailOnly)
    t.equal(await identities.attach(emailOnly.id, identity, 'KT'), false, 'an email-door member has no profile')
    t.equal(await identities.find(emailOnly.id), null)
    const member = phoneUser(catalog)
    await accounts.create(member)
    t.equal(await identities.attach(member.id, identity, null), true, 'its id was not used')
  })

  t.test('attaching sets the profile\'s keys and fills a missing carrier, never replaces one', async t => {
    const { accounts, identities, catalog } = await make(t)
    const [carrierless, withCarrier] = [phoneUser(catalog, { carrier: null }), phoneUser(catalog, { carrier: 'KT' })]
    await accounts.create(carrierless)
    await accounts.create(withCarrier)
    const a = confirmedIdentity()
    const b = confirmedIdentity()
    await identities.attach(carrierless.id, a, 'SKT 알뜰폰')
    await identities.attach(withCarrier.id, b, 'LG U+')
    const profileOf = async (id: string) => (await accounts.findProfileById(id))?.profile
    const filled = await profileOf(carrierless.id)
    t.same([filled?.uniqueKey, filled?.uniqueInSite, filled?.carrier], [a.ci, a.di, 'SKT 알뜰폰'])
    const kept = await profileOf(withCarrier.id)
    t.same([kept?.uniqueKey, kept?.uniqueInSite, kept?.carrier], [b.ci, b.di, 'KT'])
    t.equal(kept?.username, withCarrier.profile!.username, 'the rest of the profile as it was')
  })

  t.test('the holders of a CI: confirmed ones only, oldest first, never the one excepted nor the deleted', async t => {
    const { accounts, identities, catalog } = await make(t)
    const ci = `ci-${randomUUID()}`
    const [oldest, middle, newest, gone, claimer] = Array.from({ length: 5 }, () => phoneUser(catalog))
    for (const input of [oldest!, middle!, newest!, gone!]) await accounts.create(input)
    // The claimer only says it has the CI: the app's claim is no confirmation.
    await accounts.create({ ...claimer!, profile: { ...claimer!.profile!, uniqueKey: ci } })
    for (const input of [newest!, oldest!, gone!]) await identities.attach(input.id, confirmedIdentity({ ci }), null)
    await accounts.create({ ...phoneUser(catalog), identity: confirmedIdentity({ ci: `ci-${randomUUID()}` }) })
    const late = phoneUser(catalog)
    await accounts.create({ ...late, identity: confirmedIdentity({ ci }) })
    await identities.attach(middle!.id, confirmedIdentity(), null)
    await accounts.delete(gone!.id)

    t.same(await identities.holdersOfCi(ci), [oldest!.id, newest!.id, late.id], 'sign-up order, not attach order')
    t.same(await identities.holdersOfCi(ci, newest!.id), [oldest!.id, late.id])
    t.same(await identities.holdersOfCi(ci, randomUUID()), [oldest!.id, newest!.id, late.id])
    t.same(await identities.holdersOfCi(`ci-${randomUUID()}`), [])
    t.equal(await identities.find(gone!.id), null, 'the confirmation went with its member')
  })

  t.test('ten members attaching one verification id at once: exactly one holds it', async t => {
    const { accounts, identities, catalog } = await make(t)
    const members = Array.from({ length: 10 }, () => phoneUser(catalog))
    for (const member of members) await accounts.create(member)
    const identity = confirmedIdentity()
    const results = await Promise.allSettled(members.map(member => identities.attach(member.id, identity, null)))
    t.equal(results.filter(result => result.status === 'fulfilled' && result.value).length, 1)
    for (const result of results) {
      if (result.status === 'rejected') t.same(result.reason, USED)
    }
    const holders = await Promise.all(members.map(member => identities.find(member.id)))
    t.equal(holders.filter(holder => holder !== null).length, 1)
  })
}
