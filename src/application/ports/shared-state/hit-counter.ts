/**
 * How often a key may be hit: a leaky bucket whose level drains continuously, so no window ever
 * opens afresh. Each hit let through adds one to the level, which drains one every `drainMs`.
 * While the bucket has room for a whole hit (level at most `free` - 1) a hit passes at once; past
 * that it must come at least a gap after the last one let through: `firstGapMs`, doubling with
 * every further unit of level, up to `maxGapMs`. With all three equal it is a plain bucket:
 * `free` at once, then one every `drainMs`.
 */
export interface Pace { free: number, firstGapMs: number, maxGapMs: number, drainMs: number }

/** Counts hits of keys under a Pace (abuse limits, SMS caps); shared through Redis when there is one. */
export interface HitCounter {
  /**
   * Lets one hit through when the pace allows it and counts it; otherwise counts nothing and
   * answers how long until one would pass. Atomic: of twenty hits at once on a bucket with room
   * for one, exactly one passes.
   */
  hit (key: string, pace: Pace): Promise<{ passed: boolean, retryInMs: number }>
  /** Takes one counted hit back (a guess that turned out right, a try that could not be made); never below empty. */
  refund (key: string, pace: Pace): Promise<void>
  /** Whether a hit would pass now; counts nothing. */
  peek (key: string, pace: Pace): Promise<{ passed: boolean, retryInMs: number }>
  /** Empties the key. */
  clear (key: string): Promise<void>
}
