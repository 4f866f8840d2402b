import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { emailUser, providerIdentity, type MakeUserStores } from './user-stores-fixture.js'

/** One contract for every ProviderRevocations adapter: memory, PGlite, PostgreSQL. */
export function providerRevocationsContract (t: Test, make: MakeUserStores): void {
  t.test('queued tokens stay due until completed; a postponed one comes back later', async t => {
    const { accounts, linkedIdentities, providerRevocations: queue, clock } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const tokens: string[] = []
    for (let i = 0; i < 3; i++) {
      const identity = providerIdentity(member.id)
      await linkedIdentities.link(identity)
      const token = `r${i}.${randomUUID()}`
      tokens.push(token)
      await linkedIdentities.keepRefreshToken('apple', identity.subject, { token, clientId: `client-${i}` })
      await linkedIdentities.unlink(member.id, 'apple', identity.subject)
    }
    const later = new Date(clock.now().getTime() + 60_000)
    const ours = async (now: Date) => (await queue.due(now, 1000)).filter(queued => tokens.includes(queued.token))

    const due = await ours(later)
    t.same(
      due
        .map(({ provider, token, clientId }) => ({ provider, token, clientId }))
        .sort((a, b) => a.token < b.token ? -1 : 1),
      tokens.map((token, i) => ({ provider: 'apple', token, clientId: `client-${i}` }))
    )
    t.equal(new Set(due.map(queued => queued.id)).size, 3, 'each its own id')
    t.same(await ours(new Date(clock.now().getTime() - 3_600_000)), [], 'not due before it was queued')
    t.equal((await queue.due(later, 2)).length, 2, 'the limit holds')

    const [first, second, third] = tokens.map(token => due.find(queued => queued.token === token)!)
    await queue.postpone(first!.id, new Date(later.getTime() + 20_000))
    await queue.postpone(second!.id, new Date(later.getTime() + 10_000))
    t.same((await ours(later)).map(queued => queued.id), [third!.id], 'postponed: not due yet')
    t.same(
      (await ours(new Date(later.getTime() + 30_000))).map(queued => queued.id),
      [third!.id, second!.id, first!.id],
      'due again later, the earliest first'
    )
    await queue.postpone(second!.id, new Date(later.getTime() + 40_000))
    t.same(
      (await ours(new Date(later.getTime() + 30_000))).map(queued => queued.id),
      [third!.id, first!.id],
      'postponed again'
    )

    await queue.complete(third!.id)
    t.same((await ours(new Date(later.getTime() + 60_000))).map(queued => queued.id), [first!.id, second!.id])
    await queue.complete(third!.id)
    await queue.complete(randomUUID())
    await queue.postpone(randomUUID(), later)
    t.equal((await ours(new Date(later.getTime() + 60_000))).length, 2, 'completing twice or no such id: no change')
  })
}
