import type { HitCounter } from '../../application/ports/hit-counter.js'

/** Fixed-window counters in this process (the embedded default: one instance). */
export function createMemoryHitCounter (now: () => number = Date.now): HitCounter {
  const windows = new Map<string, { count: number, resetAt: number }>()
  return {
    async hit (key, windowMs) {
      const at = now()
      if (windows.size > 100_000) for (const [old, entry] of windows) if (entry.resetAt <= at) windows.delete(old)
      let entry = windows.get(key)
      if (entry === undefined || entry.resetAt <= at) {
        entry = { count: 0, resetAt: at + windowMs }
        windows.set(key, entry)
      }
      entry.count++
      return { count: entry.count, resetInMs: entry.resetAt - at }
    }
  }
}
