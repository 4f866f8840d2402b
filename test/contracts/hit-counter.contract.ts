import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { HitCounter } from '../../src/application/ports/hit-counter.js'

/** One contract for every HitCounter: memory and Redis. */
export function hitCounterContract (t: Test, make: (t: Test) => Promise<{ hits: HitCounter, advance (ms: number): Promise<void> }>): void {
  t.test('counts hits of a key within its window, then starts again', async (t) => {
    const { hits, advance } = await make(t)
    const key = randomUUID()
    t.equal((await hits.hit(key, 300)).count, 1)
    const second = await hits.hit(key, 300)
    t.equal(second.count, 2)
    t.ok(second.resetInMs > 0 && second.resetInMs <= 300, 'the window does not restart on later hits')
    t.equal((await hits.hit(randomUUID(), 300)).count, 1, 'keys are apart')
    await advance(450)
    t.equal((await hits.hit(key, 300)).count, 1, 'a new window')
  })

  t.test('twenty parallel hits are each counted once', async (t) => {
    const { hits } = await make(t)
    const key = randomUUID()
    const counts = await Promise.all(Array.from({ length: 20 }, () => hits.hit(key, 60_000)))
    t.same(counts.map((result) => result.count).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1))
  })

  t.test('peek reads a window without counting', async (t) => {
    const { hits, advance } = await make(t)
    const key = randomUUID()
    t.same(await hits.peek(key), { count: 0, resetInMs: 0 }, 'no window open')
    await hits.hit(key, 300)
    await hits.hit(key, 300)
    const first = await hits.peek(key)
    t.equal(first.count, 2)
    t.ok(first.resetInMs > 0 && first.resetInMs <= 300, 'with the time left in the window')
    t.equal((await hits.peek(key)).count, 2, 'peeking counted nothing')
    t.equal((await hits.hit(key, 300)).count, 3)
    await advance(450)
    t.same(await hits.peek(key), { count: 0, resetInMs: 0 }, 'the window ended')
  })
}
