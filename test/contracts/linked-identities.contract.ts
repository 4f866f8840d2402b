import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError } from '../../src/domain/errors.js'
import type { ProviderRevocations } from '../../src/application/ports/records/provider-revocations.js'
import type { Clock } from '../../src/application/ports/system/clock.js'
import {
  emailUser,
  memberPasskey,
  phoneUser,
  providerIdentity,
  type MakeUserStores
} from './user-stores-fixture.js'

const LINKED = new DuplicateValueError('identity')

/** What the queue holds for the tokens, without the ids: due a minute from now, whatever the adapter's clock. */
export async function queuedTokens (
  revocations: ProviderRevocations,
  clock: Clock,
  tokens: string[]
): Promise<Array<{ provider: string, token: string, clientId: string }>> {
  const due = await revocations.due(new Date(clock.now().getTime() + 60_000), 1000)
  return due
    .filter(queued => tokens.includes(queued.token))
    .map(({ provider, token, clientId }) => ({ provider, token, clientId }))
    .sort((a, b) => a.token.localeCompare(b.token))
}

/** One contract for every LinkedIdentities adapter: memory, PGlite, PostgreSQL. */
export function linkedIdentitiesContract (t: Test, make: MakeUserStores): void {
  t.test('linked identities read back field for field, oldest link first', async t => {
    const { accounts, linkedIdentities } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const newer = providerIdentity(member.id, { linkedAt: new Date('2026-05-02T08:00:00.789Z') })
    // What a provider may leave out stays left out (null, not '' or false).
    const older = providerIdentity(member.id, {
      provider: 'kakao',
      email: null,
      emailVerified: false,
      name: null,
      linkedAt: new Date('2026-04-30T23:59:59.001Z'),
      lastUsedAt: new Date('2026-05-01T00:00:00.002Z')
    })
    t.equal(await linkedIdentities.link(newer), true)
    t.equal(await linkedIdentities.link(older), true)
    t.same(await linkedIdentities.find(newer.provider, newer.subject), newer)
    t.same(await linkedIdentities.find(older.provider, older.subject), older)
    t.equal(
      (await linkedIdentities.find(older.provider, older.subject))?.lastUsedAt.toISOString(),
      older.lastUsedAt.toISOString(),
      'to the ms'
    )
    t.same(await linkedIdentities.listByMember(member.id), [older, newer])
    t.equal(await linkedIdentities.find('google', newer.subject), null, 'the subject at another provider')
    t.same(await linkedIdentities.listByMember(randomUUID()), [])
  })

  t.test('a (provider, subject) links once; the same subject at two providers is two identities', async t => {
    const { accounts, linkedIdentities, catalog } = await make(t)
    const [member, other] = [emailUser(), phoneUser(catalog)]
    await accounts.create(member)
    await accounts.create(other)
    const linked = providerIdentity(member.id)
    t.equal(await linkedIdentities.link(linked), true)
    await t.rejects(linkedIdentities.link({ ...linked, name: 'again' }), LINKED, 'to the same member')
    await t.rejects(linkedIdentities.link({ ...linked, memberId: other.id }), LINKED, 'to another member')
    t.same(await linkedIdentities.find(linked.provider, linked.subject), linked, 'the first link stands')
    t.same(await linkedIdentities.listByMember(other.id), [])
    const atGoogle = { ...linked, memberId: other.id, provider: 'google' as const }
    t.equal(await linkedIdentities.link(atGoogle), true)
    t.same(await linkedIdentities.find('google', linked.subject), atGoogle)
  })

  t.test('linking to a member who is not there writes nothing', async t => {
    const { accounts, linkedIdentities } = await make(t)
    const missing = providerIdentity(randomUUID())
    t.equal(await linkedIdentities.link(missing), false)
    t.equal(await linkedIdentities.find(missing.provider, missing.subject), null)
    const gone = emailUser()
    await accounts.create(gone)
    await accounts.delete(gone.id)
    t.equal(await linkedIdentities.link(providerIdentity(gone.id)), false, 'a deleted member')
    t.equal(await linkedIdentities.link(missing), false, 'and the subject is still free')
  })

  t.test('a sign-in records its instant and what the provider now says of the email', async t => {
    const { accounts, linkedIdentities } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const linked = providerIdentity(member.id, { provider: 'google' })
    await linkedIdentities.link(linked)
    const at = new Date('2026-06-01T12:34:56.789Z')
    await linkedIdentities.touch('google', linked.subject, at, { email: 'new@example.com', verified: false })
    t.same(await linkedIdentities.find('google', linked.subject), {
      ...linked,
      email: 'new@example.com',
      emailVerified: false,
      lastUsedAt: at
    })
    await linkedIdentities.touch('google', linked.subject, at, { email: null, verified: false })
    t.equal((await linkedIdentities.find('google', linked.subject))?.email, null, 'an email withdrawn')
    await linkedIdentities.touch('kakao', linked.subject, new Date(), { email: 'x@example.com', verified: true })
    t.equal(await linkedIdentities.find('kakao', linked.subject), null, 'touching no identity creates none')
  })

  t.test('unlinking removes only the member\'s own identity and queues its kept token', async t => {
    const { accounts, linkedIdentities, providerRevocations, clock } = await make(t)
    const [member, other] = [emailUser(), emailUser()]
    await accounts.create(member)
    await accounts.create(other)
    const [apple, kakao] = [providerIdentity(member.id), providerIdentity(member.id, { provider: 'kakao' })]
    await linkedIdentities.link(apple)
    await linkedIdentities.link(kakao)
    const token = `r.${randomUUID()}`
    await linkedIdentities.keepRefreshToken('apple', apple.subject, { token: `old-${token}`, clientId: 'com.app.ios' })
    // The last token kept is the one to revoke (a later code exchange replaced the first).
    await linkedIdentities.keepRefreshToken('apple', apple.subject, { token, clientId: 'com.app.services' })
    t.same(await linkedIdentities.find('apple', apple.subject), apple, 'the token is never read back')

    t.equal(await linkedIdentities.unlink(other.id, 'apple', apple.subject), false, 'another member\'s identity')
    t.same(await linkedIdentities.find('apple', apple.subject), apple)
    t.same(await queuedTokens(providerRevocations, clock, [token]), [], 'nothing queued by a refusal')

    t.equal(await linkedIdentities.unlink(member.id, 'apple', apple.subject), true)
    t.equal(await linkedIdentities.find('apple', apple.subject), null)
    t.same(await linkedIdentities.listByMember(member.id), [kakao])
    t.same(
      await queuedTokens(providerRevocations, clock, [token, `old-${token}`]),
      [{ provider: 'apple', token, clientId: 'com.app.services' }],
      'the kept token is queued with its client'
    )
    t.equal(await linkedIdentities.unlink(member.id, 'apple', apple.subject), false, 'twice')

    const before = (await providerRevocations.due(new Date(clock.now().getTime() + 60_000), 1000)).length
    t.equal(await linkedIdentities.unlink(member.id, 'kakao', kakao.subject), true)
    t.equal(
      (await providerRevocations.due(new Date(clock.now().getTime() + 60_000), 1000)).length,
      before,
      'an identity without a kept token queues nothing'
    )
  })

  t.test('deleting a member queues every kept token and removes its identities and passkeys', async t => {
    const { accounts, linkedIdentities, passkeys, providerRevocations, clock, catalog } = await make(t)
    const [member, other] = [phoneUser(catalog), emailUser()]
    await accounts.create(member)
    await accounts.create(other)
    const identities = [
      providerIdentity(member.id),
      providerIdentity(member.id, { provider: 'kakao' }),
      providerIdentity(member.id, { provider: 'google' })
    ]
    for (const identity of identities) await linkedIdentities.link(identity)
    const tokens = [`a.${randomUUID()}`, `g.${randomUUID()}`].sort()
    await linkedIdentities.keepRefreshToken('apple', identities[0]!.subject, { token: tokens[0]!, clientId: 'ios' })
    await linkedIdentities.keepRefreshToken('google', identities[2]!.subject, { token: tokens[1]!, clientId: 'web' })
    const keys = [memberPasskey(member.id), memberPasskey(member.id, { counter: 9 })]
    for (const key of keys) await passkeys.add(key)
    const kept = providerIdentity(other.id)
    const keptKey = memberPasskey(other.id)
    await linkedIdentities.link(kept)
    await passkeys.add(keptKey)

    t.ok(await accounts.delete(member.id))
    t.same(await linkedIdentities.listByMember(member.id), [])
    for (const identity of identities) t.equal(await linkedIdentities.find(identity.provider, identity.subject), null)
    t.same(await passkeys.listByMember(member.id), [])
    for (const key of keys) t.equal(await passkeys.find(key.credentialId), null)
    t.same(await queuedTokens(providerRevocations, clock, tokens), [
      { provider: 'apple', token: tokens[0], clientId: 'ios' },
      { provider: 'google', token: tokens[1], clientId: 'web' }
    ])
    t.same(await linkedIdentities.listByMember(other.id), [kept], 'another member keeps theirs')
    t.same(await passkeys.listByMember(other.id), [keptKey])

    const again = emailUser()
    await accounts.create(again)
    t.equal(
      await linkedIdentities.link(providerIdentity(again.id, { subject: identities[0]!.subject })),
      true,
      'a deleted member\'s identity may be linked anew'
    )
  })
}
