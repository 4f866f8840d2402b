import type { Clock } from '../../src/application/ports/system/clock.js'

/** A clock that moves only when told: "advance 181 s, expect otp_expired" in two lines. */
export class ManualClock implements Clock {
  private current: number
  constructor (start = Date.parse('2026-01-15T09:00:00.000Z')) { this.current = start }
  now (): Date { return new Date(this.current) }
  advance (ms: number): void { this.current += ms }
}
