import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { Clock } from '../../src/application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../src/application/ports/revocation-store.js'

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

  t.test('isRevoked of several ids: true when any of them is revoked', async (t) => {
    const { store, clock } = await make(t)
    const [token, family, other] = [randomUUID(), randomUUID(), randomUUID()]
    t.equal(await store.isRevoked(token, family), false)
    await store.revoke(family, new Date(clock.now().getTime() + 60_000))
    t.equal(await store.isRevoked(token, family), true)
    t.equal(await store.isRevoked(family), true)
    t.equal(await store.isRevoked(token, other), false)
    t.equal(await store.isRevoked(), false)
  })

  const rotation = (at: number, sub: string): Rotation => ({
    at,
    access: { sub, typ: 'access', jti: randomUUID(), iat: at / 1000, exp: Math.floor(at / 1000) + 900, fam: 'f' },
    refresh: { sub, typ: 'refresh', jti: randomUUID(), iat: at / 1000, exp: Math.floor(at / 1000) + 86400, fam: 'f' }
  })

  t.test('claimRotation keeps the first record and answers it to every later caller', async (t) => {
    const { store, clock } = await make(t)
    const jti = randomUUID()
    const until = new Date(clock.now().getTime() + 60_000)
    const first = rotation(clock.now().getTime() + 0.5, 'alice')
    t.equal(await store.claimRotation(jti, first, until), null)
    t.same(await store.claimRotation(jti, rotation(clock.now().getTime() + 7, 'mallory'), until), first)
    t.same(await store.claimRotation(jti, rotation(clock.now().getTime() + 9, 'mallory'), until), first)
    t.equal(await store.claimRotation(randomUUID(), rotation(1, 'bob'), until), null, 'another token is its own')
  })

  t.test('twenty parallel claims of one rotation: one kept, nineteen answered with it', async (t) => {
    const { store, clock } = await make(t)
    const jti = randomUUID()
    const until = new Date(clock.now().getTime() + 60_000)
    const candidates = Array.from({ length: 20 }, (_, i) => rotation(clock.now().getTime() + i, `user-${i}`))
    const answers = await Promise.all(candidates.map((candidate) => store.claimRotation(jti, candidate, until)))
    const winners = candidates.filter((_, i) => answers[i] === null)
    t.equal(winners.length, 1)
    for (const answer of answers) if (answer !== null) t.same(answer, winners[0])
  })

  t.test('a rotation record is forgotten after its instant', async (t) => {
    const { store, clock, advance } = await make(t)
    const jti = randomUUID()
    t.equal(await store.claimRotation(jti, rotation(1, 'alice'), new Date(clock.now().getTime() + 300)), null)
    await advance(450)
    t.equal(await store.claimRotation(jti, rotation(2, 'alice'), new Date(clock.now().getTime() + 300)), null)
  })
}
