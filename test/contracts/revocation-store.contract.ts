import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { Clock } from '../../src/application/ports/clock.js'
import type { RevocationStore } from '../../src/application/ports/revocation-store.js'

export interface RevocationFixture { store: RevocationStore, clock: Clock, advance (ms: number): Promise<void> }

/** One contract for every RevocationStore adapter: memory and Redis. */
export function revocationStoreContract (t: Test, make: (t: Test) => Promise<RevocationFixture>): void {
  t.test('a revoked id stays revoked until its instant, then is forgotten', async (t) => {
    const { store, clock, advance } = await make(t)
    const jti = randomUUID()
    t.equal(await store.isRevoked(jti), false)
    t.equal(await store.revoke(jti, new Date(clock.now().getTime() + 300)), true)
    t.equal(await store.isRevoked(jti), true)
    await advance(450)
    t.equal(await store.isRevoked(jti), false)
  })

  t.test('only the first revocation of an id answers true', async (t) => {
    const { store, clock } = await make(t)
    const jti = randomUUID()
    const until = new Date(clock.now().getTime() + 60_000)
    t.equal(await store.revoke(jti, until), true)
    t.equal(await store.revoke(jti, until), false)
  })

  t.test('twenty parallel revocations of one id: exactly one true', async (t) => {
    const { store, clock } = await make(t)
    const jti = randomUUID()
    const until = new Date(clock.now().getTime() + 60_000)
    const results = await Promise.all(Array.from({ length: 20 }, () => store.revoke(jti, until)))
    t.equal(results.filter(Boolean).length, 1)
  })

  t.test('revoking an already expired token keeps nothing', async (t) => {
    const { store, clock } = await make(t)
    const jti = randomUUID()
    t.equal(await store.revoke(jti, new Date(clock.now().getTime() - 1000)), true)
    t.equal(await store.isRevoked(jti), false)
  })
}
