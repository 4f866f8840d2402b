import { randomBytes, randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { CeremonyChallenges } from '../../src/application/ports/shared-state/ceremony-challenges.js'

/** `advance` moves the store's time on: the manual clock for memory, a real wait for Redis. */
export interface CeremonyChallengesFixture { challenges: CeremonyChallenges, advance (ms: number): Promise<void> }

// Challenges as @simplewebauthn makes them: 32 random bytes, base64url.
const newChallenge = (): string => randomBytes(32).toString('base64url')
const SIGN_IN = { kind: 'sign_in' } as const

/** One contract for every CeremonyChallenges adapter: memory and Redis. */
export function ceremonyChallengesContract (
  t: Test,
  make: (t: Test) => Promise<CeremonyChallengesFixture>
): void {
  t.test('a challenge is taken once: the second take, a replay, finds nothing', async (t) => {
    const { challenges } = await make(t)
    const challenge = newChallenge()
    await challenges.issue(challenge, SIGN_IN, 300)
    t.same(await challenges.take(challenge), SIGN_IN)
    t.equal(await challenges.take(challenge), null)
  })

  t.test('a challenge never issued is unknown', async (t) => {
    const { challenges } = await make(t)
    t.equal(await challenges.take(newChallenge()), null)
    t.equal(await challenges.take(''), null)
  })

  t.test('a registration keeps the member it was issued for', async (t) => {
    const { challenges } = await make(t)
    const [mine, theirs] = [newChallenge(), newChallenge()]
    const [me, them] = [randomUUID(), randomUUID()]
    await challenges.issue(mine, { kind: 'register', memberId: me }, 300)
    await challenges.issue(theirs, { kind: 'register', memberId: them }, 300)
    t.same(await challenges.take(theirs), { kind: 'register', memberId: them })
    t.same(await challenges.take(mine), { kind: 'register', memberId: me })
  })

  t.test('a challenge expires after its TTL, untaken', async (t) => {
    const { challenges, advance } = await make(t)
    const [short, long] = [newChallenge(), newChallenge()]
    await challenges.issue(short, SIGN_IN, 1)
    await challenges.issue(long, SIGN_IN, 60)
    // Whole-second TTLs with slack, so the same test holds on the manual clock and in real time.
    await advance(1200)
    t.equal(await challenges.take(short), null, 'expired')
    t.same(await challenges.take(long), SIGN_IN, 'a longer one lives on')
  })

  t.test('a challenge still lives just before its TTL', async (t) => {
    const { challenges, advance } = await make(t)
    const challenge = newChallenge()
    await challenges.issue(challenge, SIGN_IN, 2)
    await advance(500)
    t.same(await challenges.take(challenge), SIGN_IN)
  })

  t.test('twenty parallel takes of one challenge: exactly one gets it', async (t) => {
    const { challenges } = await make(t)
    const challenge = newChallenge()
    const memberId = randomUUID()
    await challenges.issue(challenge, { kind: 'register', memberId }, 300)
    const taken = await Promise.all(Array.from({ length: 20 }, () => challenges.take(challenge)))
    const found = taken.filter((ceremony) => ceremony !== null)
    t.equal(found.length, 1)
    t.same(found[0], { kind: 'register', memberId })
  })

  t.test('what take answers is a copy: changing it changes nothing stored', async (t) => {
    const { challenges } = await make(t)
    const challenge = newChallenge()
    const ceremony: { kind: 'register', memberId: string } = { kind: 'register', memberId: randomUUID() }
    await challenges.issue(challenge, ceremony, 300)
    const issued = { ...ceremony }
    ceremony.memberId = 'someone else'
    t.same(await challenges.take(challenge), issued, 'the ceremony as it was issued')
  })
}
