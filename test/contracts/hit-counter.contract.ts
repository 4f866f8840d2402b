import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { HitCounter, Pace } from '../../src/application/ports/shared-state/hit-counter.js'

// Short paces: the Redis run waits in real time. Waits carry 100 ms to spare for a loaded machine.
const SLACK_MS = 100
/** Three at once, then one per 600 ms. */
const EVEN: Pace = { free: 3, firstGapMs: 600, maxGapMs: 600, drainMs: 600 }
/** Two at once, then gaps of 200, 400, 800 ms (at most); the level drains one per 800 ms. */
const GROWING: Pace = { free: 2, firstGapMs: 200, maxGapMs: 800, drainMs: 800 }

/** One contract for every HitCounter: memory and Redis. */
export function hitCounterContract (
  t: Test,
  make: (t: Test) => Promise<{ hits: HitCounter, advance(ms: number): Promise<void> }>
): void {
  t.test('the free hits pass at once, then the next waits for the bucket to drain', async t => {
    const { hits, advance } = await make(t)
    const key = randomUUID()
    for (let i = 1; i <= 3; i++) t.equal((await hits.hit(key, EVEN)).passed, true, `hit ${i}`)
    const refused = await hits.hit(key, EVEN)
    t.equal(refused.passed, false, 'the fourth waits')
    t.ok(refused.retryInMs > 0 && refused.retryInMs <= 600, `for at most one drain (${refused.retryInMs} ms)`)
    t.equal((await hits.hit(randomUUID(), EVEN)).passed, true, 'keys are apart')
    await advance(refused.retryInMs + SLACK_MS)
    t.equal((await hits.hit(key, EVEN)).passed, true, 'one more once it drained one')
    t.equal((await hits.hit(key, EVEN)).passed, false, 'and only one: no window opened afresh')
  })

  t.test('a refused hit is not counted', async t => {
    const { hits, advance } = await make(t)
    const key = randomUUID()
    for (let i = 0; i < 3; i++) await hits.hit(key, EVEN)
    for (let i = 0; i < 10; i++) t.equal((await hits.hit(key, EVEN)).passed, false)
    await advance(600 + SLACK_MS)
    t.equal((await hits.hit(key, EVEN)).passed, true, 'hammering while refused did not push the wait out')
  })

  t.test('past the free hits the gaps grow, and the level drains', async t => {
    const { hits, advance } = await make(t)
    const key = randomUUID()
    t.equal((await hits.hit(key, GROWING)).passed, true)
    t.equal((await hits.hit(key, GROWING)).passed, true)
    const first = await hits.hit(key, GROWING)
    t.ok(!first.passed && first.retryInMs <= 200, `the first gap is the first (${first.retryInMs} ms)`)
    await advance(first.retryInMs + 20)
    t.equal((await hits.hit(key, GROWING)).passed, true, 'past it, a hit passes')
    const second = await hits.hit(key, GROWING)
    t.ok(
      !second.passed && second.retryInMs > 200 && second.retryInMs <= 400,
      `then a doubled gap (${second.retryInMs} ms)`
    )
    await advance(2400 + SLACK_MS)
    t.equal((await hits.hit(key, GROWING)).passed, true, 'three drains later the level is under the free hits again')
    t.equal((await hits.hit(key, GROWING)).passed, true, 'and the next passes at once too')
  })

  t.test('a refund gives one hit back, never below empty; clear empties the key', async t => {
    const { hits } = await make(t)
    const key = randomUUID()
    for (let i = 0; i < 3; i++) await hits.hit(key, EVEN)
    t.equal((await hits.hit(key, EVEN)).passed, false)
    await hits.refund(key, EVEN)
    t.equal((await hits.hit(key, EVEN)).passed, true, 'the refunded hit is free again')
    const empty = randomUUID()
    for (let i = 0; i < 5; i++) await hits.refund(empty, EVEN)
    for (let i = 0; i < 3; i++) t.equal((await hits.hit(empty, EVEN)).passed, true)
    t.equal((await hits.hit(empty, EVEN)).passed, false, 'refunds of an empty key banked nothing')
    await hits.clear(key)
    for (let i = 0; i < 3; i++) t.equal((await hits.hit(key, EVEN)).passed, true, 'cleared: the free hits again')
  })

  t.test('peek says whether a hit would pass and counts nothing', async t => {
    const { hits } = await make(t)
    const key = randomUUID()
    t.same(await hits.peek(key, EVEN), { passed: true, retryInMs: 0 })
    for (let i = 0; i < 3; i++) await hits.hit(key, EVEN)
    const peeked = await hits.peek(key, EVEN)
    t.equal(peeked.passed, false)
    t.ok(peeked.retryInMs > 0)
    await hits.refund(key, EVEN)
    t.equal((await hits.peek(key, EVEN)).passed, true)
    t.equal((await hits.peek(key, EVEN)).passed, true, 'peeking twice counted nothing')
  })

  t.test('twenty parallel hits on a bucket with room for three: exactly three pass', async t => {
    const { hits } = await make(t)
    const key = randomUUID()
    const results = await Promise.all(Array.from({ length: 20 }, () => hits.hit(key, EVEN)))
    t.equal(results.filter(result => result.passed).length, 3)
  })
}
