import type { Clock } from '../../application/ports/system/clock.js'
import type { HitCounter, Pace } from '../../application/ports/shared-state/hit-counter.js'
import { ExpiringMap } from './expiring-map.js'

/** A key's bucket: its level at `at`, and when the last hit passed. */
interface Bucket { level: number, at: number, last: number }

/**
 * Leaky buckets in this process (the embedded default: one instance). Each method runs from read
 * to write without awaiting, which makes it atomic, as the Redis script is.
 */
export function createMemoryHitCounter (clock: Clock): HitCounter {
  const buckets = new ExpiringMap<Bucket>(clock)
  const now = () => clock.now().getTime()
  /** The key's level drained to now, and whether a hit may pass. */
  const read = (key: string, pace: Pace, at: number) => {
    const bucket = buckets.get(key)
    if (bucket === undefined) return { level: 0, last: 0, retryInMs: 0 }
    const level = Math.max(0, bucket.level - (at - bucket.at) / pace.drainMs)
    return { level, last: bucket.last, retryInMs: waitMs(pace, level, at - bucket.last) }
  }
  const write = (key: string, pace: Pace, bucket: Bucket) => {
    if (bucket.level <= 0) buckets.delete(key)
    else buckets.set(key, bucket, new Date(bucket.at + Math.ceil(bucket.level * pace.drainMs)))
  }
  return {
    async hit (key, pace) {
      const at = now()
      const { level, retryInMs } = read(key, pace, at)
      if (retryInMs > 0) return { passed: false, retryInMs }
      write(key, pace, { level: level + 1, at, last: at })
      return { passed: true, retryInMs: 0 }
    },
    async refund (key, pace) {
      const at = now()
      const { level, last } = read(key, pace, at)
      write(key, pace, { level: Math.max(0, level - 1), at, last })
    },
    async peek (key, pace) {
      const { retryInMs } = read(key, pace, now())
      return { passed: retryInMs === 0, retryInMs }
    },
    async clear (key) {
      buckets.delete(key)
    }
  }
}

/** The pace's rule (the Redis script's twin): 0 when a hit may pass, else the ms until one may. */
function waitMs (pace: Pace, level: number, sinceLastMs: number): number {
  // Room for a whole hit: it passes. Otherwise the gap doubles with each unit of excess.
  const excess = level - (pace.free - 1)
  if (excess <= 0) return 0
  const gapMs = Math.min(pace.firstGapMs * 2 ** Math.min(Math.ceil(excess) - 1, 40), pace.maxGapMs)
  return Math.max(0, Math.ceil(gapMs - sinceLastMs))
}
