import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { Clock } from '../../src/application/ports/system/clock.js'
import type { RevocationStore, Rotation } from '../../src/application/ports/shared-state/revocation-store.js'
import { SecurityStateLostError } from '../../src/domain/errors.js'

/**
 * `store` is whole (restored from nothing) unless the test says otherwise; `fresh` is a store as
 * it starts, `lose` makes it lose its data (a restart without persistence, FLUSHALL), `sibling`
 * is a second handle on the same shared state (another instance), when there is one.
 */
export interface RevocationFixture {
  store: RevocationStore
  fresh: RevocationStore
  clock: Clock
  advance(ms: number): Promise<void>
  lose(): Promise<void>
  sibling: RevocationStore | null
}

/** What the store allows, known before any test runs: a check it cannot take is reported as SKIP, with the reason. */
export interface RevocationStoreCapabilities {
  /** Whether instances share its state (Redis), so the fixture has a `sibling`; a memory store is one process's. */
  sharedAcrossInstances: boolean
}

/** One contract for every RevocationStore adapter: memory and Redis. */
export function revocationStoreContract (
  t: Test,
  { sharedAcrossInstances }: RevocationStoreCapabilities,
  makeFresh: (t: Test) => Promise<Omit<RevocationFixture, 'store'>>
): void {
  const make = async (t: Test): Promise<RevocationFixture> => {
    const fixture = await makeFresh(t)
    await fixture.fresh.restore(async () => {})
    return { ...fixture, store: fixture.fresh }
  }

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
  const options = (clock: Clock, lifeMs = 60_000, keepMs = 10_000) => ({
    keepMs,
    until: new Date(clock.now().getTime() + lifeMs)
  })

  t.test('claimRotation: the current token rotates once; the same token again answers that rotation', async (t) => {
    const { store, clock } = await make(t)
    const [family, signIn] = [randomUUID(), randomUUID()]
    const first = rotation(clock.now().getTime() + 0.5, 'alice', family)
    t.same(
      await store.claimRotation(family, signIn, first, options(clock)),
      { outcome: 'rotated' },
      "no record yet: the sign-in's token is current"
    )
    t.same(
      await store.claimRotation(family, signIn, rotation(clock.now().getTime() + 7, 'mallory', family), options(clock)),
      { outcome: 'earlier', rotation: first }
    )
    t.same(
      await store.claimRotation(family, signIn, rotation(clock.now().getTime() + 9, 'mallory', family), options(clock)),
      { outcome: 'earlier', rotation: first },
      'the kept record, however often asked'
    )
    t.same(
      await store.claimRotation(randomUUID(), randomUUID(), rotation(1, 'bob'), options(clock)),
      { outcome: 'rotated' },
      'another family is its own'
    )
  })

  t.test(
    'claimRotation: the chain moves on; an older token is superseded once its rotation is no longer kept',
    async t => {
      const { store, clock, advance } = await make(t)
      const [family, signIn] = [randomUUID(), randomUUID()]
      const first = rotation(clock.now().getTime(), 'alice', family)
      t.same(await store.claimRotation(family, signIn, first, options(clock, 60_000, 200)), { outcome: 'rotated' })
      t.same(
        await store.claimRotation(family, randomUUID(), rotation(1, 'mallory', family), options(clock, 60_000, 200)),
        { outcome: 'superseded' },
        'a token of the family that is not the current one'
      )
      const second = rotation(clock.now().getTime(), 'alice', family)
      t.same(
        await store.claimRotation(family, first.refresh.jti, second, options(clock, 60_000, 200)),
        { outcome: 'rotated' },
        'the successor is current'
      )
      t.same(
        await store.claimRotation(family, signIn, rotation(2, 'mallory', family), options(clock, 60_000, 200)),
        { outcome: 'earlier', rotation: first },
        'within keepMs the first rotation is still answered'
      )
      await advance(300)
      const third = rotation(clock.now().getTime(), 'alice', family)
      t.same(await store.claimRotation(family, second.refresh.jti, third, options(clock, 60_000, 200)), {
        outcome: 'rotated'
      })
      t.same(
        await store.claimRotation(family, signIn, rotation(3, 'mallory', family), options(clock, 60_000, 200)),
        { outcome: 'superseded' },
        'past keepMs the oldest token is only superseded'
      )
      t.same(
        await store.claimRotation(
          family,
          first.refresh.jti,
          rotation(4, 'mallory', family),
          options(clock, 60_000, 200)
        ),
        { outcome: 'superseded' }
      )
      t.same(
        await store.claimRotation(
          family,
          second.refresh.jti,
          rotation(5, 'mallory', family),
          options(clock, 60_000, 200)
        ),
        { outcome: 'earlier', rotation: third }
      )
    }
  )

  t.test('twenty parallel claims with one token: one rotates, nineteen are answered with it', async (t) => {
    const { store, clock } = await make(t)
    const [family, jti] = [randomUUID(), randomUUID()]
    const candidates = Array.from({ length: 20 }, (_, i) => rotation(clock.now().getTime() + i, `user-${i}`, family))
    const answers = await Promise.all(
      candidates.map(candidate => store.claimRotation(family, jti, candidate, options(clock)))
    )
    const winners = candidates.filter((_, i) => answers[i]!.outcome === 'rotated')
    t.equal(winners.length, 1)
    for (const answer of answers) {
      if (answer.outcome !== 'rotated') t.same(answer, { outcome: 'earlier', rotation: winners[0] })
    }
  })

  t.test('a family\'s record and its rotations are forgotten after their instants', async (t) => {
    const { store, clock, advance } = await make(t)
    const [family, jti] = [randomUUID(), randomUUID()]
    t.same(await store.claimRotation(family, jti, rotation(1, 'alice', family), options(clock, 300, 100)), {
      outcome: 'rotated'
    })
    t.same(await store.claimRotation(family, randomUUID(), rotation(2, 'mallory', family), options(clock, 300, 100)), {
      outcome: 'superseded'
    })
    await advance(450)
    t.same(
      await store.claimRotation(family, randomUUID(), rotation(3, 'alice', family), options(clock, 300, 100)),
      { outcome: 'rotated' },
      'no record: any token of the family is current'
    )
  })

  t.test(
    'a store that has lost its data answers nothing until restored, then refuses what the durable copy refuses',
    async t => {
      const { fresh, clock, lose } = await makeFresh(t)
      const [revoked, expired, family, current, older] = [
        randomUUID(),
        randomUUID(),
        randomUUID(),
        randomUUID(),
        randomUUID()
      ]
      await t.rejects(fresh.isRevoked(revoked), SecurityStateLostError, 'a new store is not whole')
      await t.rejects(
        fresh.claimRotation(family, older, rotation(1, 'alice', family), options(clock)),
        SecurityStateLostError,
        'nor does it rotate: it would take any token as current'
      )
      const until = new Date(clock.now().getTime() + 60_000)
      await fresh.restore(async sink => {
        await sink.revocations([
          { id: revoked, until },
          { id: expired, until: new Date(clock.now().getTime() - 1000) }
        ])
        await sink.families([{ family, currentJti: current, rotatedAt: 1, until }])
      })
      t.equal(await fresh.isRevoked(revoked), true, 'a restored revocation')
      t.equal(await fresh.isRevoked(expired), false, 'an expired one is not kept')
      t.same(
        await fresh.claimRotation(family, older, rotation(2, 'mallory', family), options(clock)),
        { outcome: 'superseded' },
        'a token rotated out before the loss stays refused'
      )
      t.same(
        await fresh.claimRotation(family, current, rotation(3, 'alice', family), options(clock)),
        { outcome: 'rotated' },
        "the family's current token goes on"
      )

      await lose()
      await t.rejects(fresh.isRevoked(revoked), SecurityStateLostError, 'after a loss: not whole again')
      let loads = 0
      const again = () =>
        fresh.restore(async sink => {
          loads++
          await sink.revocations([{ id: revoked, until }])
        })
      await Promise.all([again(), again(), again()])
      t.ok(loads >= 1, 'restored')
      t.equal(await fresh.isRevoked(revoked), true)
      await fresh.restore(async () => {
        loads = 100
      })
      t.ok(loads < 100, 'a whole store does not restore again')
    }
  )

  t.test('a revocation made while the store is lost is kept', async (t) => {
    const { store, clock, lose } = await make(t)
    await lose()
    const jti = randomUUID()
    await store.revoke(jti, new Date(clock.now().getTime() + 60_000))
    await store.restore(async () => {})
    t.equal(await store.isRevoked(jti), true)
  })

  const oneProcessOnly = sharedAcrossInstances ? false : 'this store is one process\'s own: no other instance shares it'
  t.test('another instance waits for the one restoring, and sees the store whole after it',
    { skip: oneProcessOnly }, async (t) => {
      const { store, sibling, clock, lose } = await make(t)
      if (sibling === null) throw new Error('a store shared across instances needs a sibling in its fixture')
      await lose()
      const jti = randomUUID()
      let release = () => {}
      const held = new Promise<void>((resolve) => { release = resolve })
      let siblingLoads = 0
      // The first holds the restore once its load has begun: the sibling asks only then, however
      // busy the machine (a fixed pause here once let the sibling ask first on a loaded machine).
      let loading = () => {}
      const begun = new Promise<void>((resolve) => { loading = resolve })
      const first = store.restore(async sink => {
        loading()
        await held
        await sink.revocations([{ id: jti, until: new Date(clock.now().getTime() + 60_000) }])
      })
      await begun
      const second = sibling.restore(async () => { siblingLoads++ })
      await new Promise((resolve) => setTimeout(resolve, 150))
      await t.rejects(sibling.isRevoked(jti), SecurityStateLostError, 'not whole while the first restores')
      release()
      await Promise.all([first, second])
      t.equal(siblingLoads, 0, 'the second did not load it all again')
      t.equal(await sibling.isRevoked(jti), true, 'and sees what the first restored')
    })
}
