import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { KnownClients } from '../../src/application/ports/shared-state/known-clients.js'

const SLACK_MS = 100

/** One contract for every KnownClients adapter: memory and Redis. */
export function knownClientsContract (
  t: Test,
  make: (t: Test) => Promise<{ known: KnownClients, advance(ms: number): Promise<void> }>
): void {
  t.test('a client proved at a target is known there, for that long, and nowhere else', async t => {
    const { known, advance } = await make(t)
    const target = `mail:${randomUUID()}@example.com`
    const options = { forMs: 600, keep: 10 }
    t.equal(await known.isKnown(target, '198.51.100.7', options), false, 'unknown before')
    await known.remember(target, '198.51.100.7', options)
    t.equal(await known.isKnown(target, '198.51.100.7', options), true)
    t.equal(await known.isKnown(target, '198.51.100.8', options), false, 'another client is not')
    t.equal(
      await known.isKnown(`mail:${randomUUID()}@example.com`, '198.51.100.7', options),
      false,
      'another target is not'
    )
    await advance(50)
    t.equal(
      await known.isKnown(target, '198.51.100.7', { forMs: 10 }),
      false,
      "the window is the caller's: a proof 50 ms old is not within 10 ms"
    )
    await advance(550 + SLACK_MS)
    t.equal(await known.isKnown(target, '198.51.100.7', options), false, 'forgotten once the window passed')
  })

  t.test('a new proof renews a client; a target keeps only its most recent clients', async t => {
    const { known, advance } = await make(t)
    const target = `tel:+8210${Date.now() % 100_000_000}`
    const options = { forMs: 60_000, keep: 3 }
    for (const client of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      await known.remember(target, client, options)
      await advance(5)
    }
    await known.remember(target, '10.0.0.1', options) // renewed: now the newest
    await advance(5)
    await known.remember(target, '10.0.0.4', options) // pushes out the oldest, 10.0.0.2
    t.same(
      await Promise.all(
        ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map(client => known.isKnown(target, client, options))
      ),
      [true, false, true, true]
    )
  })

  t.test('twenty clients remembered at once: the target keeps exactly its limit', async t => {
    const { known } = await make(t)
    const target = `staff:${randomUUID()}@example.com`
    const options = { forMs: 60_000, keep: 5 }
    const clients = Array.from({ length: 20 }, (_, i) => `10.1.${i}.1`)
    await Promise.all(clients.map(client => known.remember(target, client, options)))
    const kept = await Promise.all(clients.map(client => known.isKnown(target, client, options)))
    t.equal(kept.filter(Boolean).length, 5)
  })
}
