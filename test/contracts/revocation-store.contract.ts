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

  const rotation = (at: number, sub: string, fam = 'f'): Rotation => ({
    at,
    access: { sub, typ: 'access', jti: randomUUID(), iat: at / 1000, exp: Math.floor(at / 1000) + 900, fam },
    refresh: { sub, typ: 'refresh', jti: randomUUID(), iat: at / 1000, exp: Math.floor(at / 1000) + 86400, fam }
  })
  const options = (clock: Clock, lifeMs = 60_000, keepMs = 10_000) => ({ keepMs, until: new Date(clock.now().getTime() + lifeMs) })

  t.test('claimRotation: the current token rotates once; the same token again answers that rotation', async (t) => {
    const { store, clock } = await make(t)
    const [family, signIn] = [randomUUID(), randomUUID()]
    const first = rotation(clock.now().getTime() + 0.5, 'alice', family)
    t.same(await store.claimRotation(family, signIn, first, options(clock)), { outcome: 'rotated' }, 'no record yet: the sign-in\'s token is current')
    t.same(await store.claimRotation(family, signIn, rotation(clock.now().getTime() + 7, 'mallory', family), options(clock)), { outcome: 'earlier', rotation: first })
    t.same(await store.claimRotation(family, signIn, rotation(clock.now().getTime() + 9, 'mallory', family), options(clock)), { outcome: 'earlier', rotation: first }, 'the kept record, however often asked')
    t.same(await store.claimRotation(randomUUID(), randomUUID(), rotation(1, 'bob'), options(clock)), { outcome: 'rotated' }, 'another family is its own')
  })

  t.test('claimRotation: the chain moves on; an older token is superseded once its rotation is no longer kept', async (t) => {
    const { store, clock, advance } = await make(t)
    const [family, signIn] = [randomUUID(), randomUUID()]
    const first = rotation(clock.now().getTime(), 'alice', family)
    t.same(await store.claimRotation(family, signIn, first, options(clock, 60_000, 200)), { outcome: 'rotated' })
    t.same(await store.claimRotation(family, randomUUID(), rotation(1, 'mallory', family), options(clock, 60_000, 200)), { outcome: 'superseded' }, 'a token of the family that is not the current one')
    const second = rotation(clock.now().getTime(), 'alice', family)
    t.same(await store.claimRotation(family, first.refresh.jti, second, options(clock, 60_000, 200)), { outcome: 'rotated' }, 'the successor is current')
    t.same(await store.claimRotation(family, signIn, rotation(2, 'mallory', family), options(clock, 60_000, 200)), { outcome: 'earlier', rotation: first }, 'within keepMs the first rotation is still answered')
    await advance(300)
    const third = rotation(clock.now().getTime(), 'alice', family)
    t.same(await store.claimRotation(family, second.refresh.jti, third, options(clock, 60_000, 200)), { outcome: 'rotated' })
    t.same(await store.claimRotation(family, signIn, rotation(3, 'mallory', family), options(clock, 60_000, 200)), { outcome: 'superseded' }, 'past keepMs the oldest token is only superseded')
    t.same(await store.claimRotation(family, first.refresh.jti, rotation(4, 'mallory', family), options(clock, 60_000, 200)), { outcome: 'superseded' })
    t.same(await store.claimRotation(family, second.refresh.jti, rotation(5, 'mallory', family), options(clock, 60_000, 200)), { outcome: 'earlier', rotation: third })
  })

  t.test('twenty parallel claims with one token: one rotates, nineteen are answered with it', async (t) => {
    const { store, clock } = await make(t)
    const [family, jti] = [randomUUID(), randomUUID()]
    const candidates = Array.from({ length: 20 }, (_, i) => rotation(clock.now().getTime() + i, `user-${i}`, family))
    const answers = await Promise.all(candidates.map((candidate) => store.claimRotation(family, jti, candidate, options(clock))))
    const winners = candidates.filter((_, i) => answers[i]!.outcome === 'rotated')
    t.equal(winners.length, 1)
    for (const answer of answers) if (answer.outcome !== 'rotated') t.same(answer, { outcome: 'earlier', rotation: winners[0] })
  })

  t.test('a family\'s record and its rotations are forgotten after their instants', async (t) => {
    const { store, clock, advance } = await make(t)
    const [family, jti] = [randomUUID(), randomUUID()]
    t.same(await store.claimRotation(family, jti, rotation(1, 'alice', family), options(clock, 300, 100)), { outcome: 'rotated' })
    t.same(await store.claimRotation(family, randomUUID(), rotation(2, 'mallory', family), options(clock, 300, 100)), { outcome: 'superseded' })
    await advance(450)
    t.same(await store.claimRotation(family, randomUUID(), rotation(3, 'alice', family), options(clock, 300, 100)), { outcome: 'rotated' }, 'no record: any token of the family is current')
  })
}
