import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { emailUser, type MakeUserStores } from './user-stores-fixture.js'

/**
 * One contract for every PushTokenRepository adapter: memory, PGlite, PostgreSQL, and PostgreSQL behind the
 * Redis account cache.
 */
export function pushTokenRepositoryContract (t: Test, make: MakeUserStores): void {
  t.test('push tokens: several per user, moved on re-use, removed singly', async (t) => {
    const { accounts, pushTokens } = await make(t)
    const alice = emailUser({ pushToken: 'device-a' })
    const bob = emailUser()
    await accounts.create(alice)
    await accounts.create(bob)
    await pushTokens.add(alice.id, 'device-b')
    await pushTokens.add(alice.id, 'device-b') // idempotent
    t.same(await pushTokens.list(alice.id), ['device-a', 'device-b'])
    await pushTokens.add(bob.id, 'device-a') // the device now belongs to bob
    t.same(await pushTokens.list(alice.id), ['device-b'])
    t.same(await pushTokens.list(bob.id), ['device-a'])
    await pushTokens.remove('device-b')
    t.same(await pushTokens.list(alice.id), [])
    await pushTokens.add(randomUUID(), 'ghost') // no such user: nothing stored
    t.same(await pushTokens.list(bob.id), ['device-a'])
  })
}
