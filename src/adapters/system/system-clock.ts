import type { Clock } from '../../application/ports/system/clock.js'

export const systemClock: Clock = { now: () => new Date() }
