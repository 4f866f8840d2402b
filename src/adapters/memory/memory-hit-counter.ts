import type { Clock } from '../../application/ports/clock.js'
import type { HitCounter } from '../../application/ports/hit-counter.js'
import { ExpiringMap } from './expiring-map.js'

/** Fixed-window counters in this process (the embedded default: one instance). */
export function createMemoryHitCounter (clock: Clock): HitCounter {
  const windows = new ExpiringMap<{ count: number }>(clock)
  const reading = (key: string, count: number) => ({ count, resetInMs: windows.ttlMs(key) })
  return {
    async hit (key, windowMs) {
      const open = windows.get(key)
      if (open !== undefined) return reading(key, ++open.count)
      windows.set(key, { count: 1 }, new Date(clock.now().getTime() + windowMs))
      return reading(key, 1)
    },
    async peek (key) {
      return reading(key, windows.get(key)?.count ?? 0)
    }
  }
}
