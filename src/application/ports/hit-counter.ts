/** Counts hits of a key in fixed windows (abuse limits, SMS caps); shared through Redis when there is one. */
export interface HitCounter {
  /** Counts one hit; answers the count in the current window and the time until it ends. Atomic. */
  hit (key: string, windowMs: number): Promise<{ count: number, resetInMs: number }>
  /** The count in the key's current window (0 when none is open) and the time until it ends; counts nothing. */
  peek (key: string): Promise<{ count: number, resetInMs: number }>
}
