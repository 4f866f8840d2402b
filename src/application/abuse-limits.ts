import { ThrottledError } from '../domain/errors.js'
import type { HitCounter } from './ports/hit-counter.js'

/**
 * Every abuse limit of the service, in one place. The rule that shapes them all: an attacker
 * must stop himself, never the member. So wrong guesses are counted per (target, client address)
 * and stop that pair, for longer each time; the count per target across all addresses only spaces
 * attempts out (a delay that grows, never a long lock); texts are capped per (number, address)
 * with a higher ceiling per number, past which the number still gets a code an hour.
 *
 * A counter that cannot be read (Redis away) throws ServiceUnavailableError: a limited route
 * answers 503 rather than serve unlimited.
 */
export interface AbuseSettings {
  /** Off: no per-address request limit and no guess limits (load tests). Code tries and SMS caps always hold. */
  enabled: boolean
  /** Requests per client address per limited route per window. */
  perAddress: { max: number, windowSeconds: number }
  guesses: {
    /** Wrong guesses (codes, passwords) one address may make at one target before the pair stops. */
    perAddress: number
    /** The first stop of a pair; each further stop within a day doubles it. */
    lockSeconds: number
    /** Wrong guesses at one target per hour, all addresses together, past which attempts are spaced out. */
    perTarget: number
    /** The longest space between two attempts at one target (the delay doubles up to it). */
    maxDelaySeconds: number
  }
  sms: {
    /** Codes texted to one number per day at the request of one address. */
    perAddressDaily: number
    /** Codes texted to one number per day in all; past it, one an hour. */
    perNumberDaily: number
    /** Codes texted per hour to everyone: a ceiling on what a pumping attack can cost. */
    hourly: number
  }
}

/**
 * A sign-in target: a member's number (`tel:+8210…`) or email (`mail:…`) in canonical form, a
 * staff email (`staff:…`), or a staff member's second factor (`staff-totp:<id>`).
 */
export type GuessTarget = `tel:${string}` | `mail:${string}` | `staff:${string}` | `staff-totp:${string}`

const SECOND_MS = 1000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
// 2^6 = 64 times the first stop (16 h for 15 min): the longest an address is stopped.
const MAX_DOUBLINGS = 6

export type AbuseLimits = ReturnType<typeof makeAbuseLimits>

export function makeAbuseLimits ({ hits, settings }: { hits: HitCounter, settings: AbuseSettings }) {
  const { guesses, sms } = settings
  const pairKey = (target: GuessTarget, address: string) => `${target}|${address}`

  return {
    /** One request of a limited route from an address (the allow-list is the HTTP adapter's call). */
    async admitRequest (route: string, address: string): Promise<void> {
      if (!settings.enabled) return
      refuseOver(await hits.hit(`req:${route}|${address}`, settings.perAddress.windowSeconds * SECOND_MS), settings.perAddress.max)
    },

    /** Before a guess at a target: refuses a stopped pair, and spaces attempts at a target under a distributed attack. */
    async admitGuess (target: GuessTarget, address: string): Promise<void> {
      if (!settings.enabled) return
      const [pair, all] = await Promise.all([hits.peek(`fail:${pairKey(target, address)}`), hits.peek(`fail:${target}`)])
      if (pair.count >= guesses.perAddress) throw ThrottledError.forMs(pair.resetInMs)
      const excess = all.count - guesses.perTarget
      if (excess < 0) return
      // The first attempt in each gap passes, whoever makes it: the member waits seconds, not hours.
      const gapMs = Math.min(2 ** Math.min(excess, 20) * SECOND_MS, guesses.maxDelaySeconds * SECOND_MS)
      const gap = await hits.hit(`gap:${target}`, gapMs)
      if (gap.count > 1) throw ThrottledError.forMs(gap.resetInMs)
    },

    /** After a wrong guess: counts it for the pair (whose window is its stop) and for the target. */
    async recordFailure (target: GuessTarget, address: string): Promise<void> {
      if (!settings.enabled) return
      const pair = pairKey(target, address)
      const stops = await hits.peek(`stops:${pair}`)
      const lockMs = guesses.lockSeconds * SECOND_MS * 2 ** Math.min(stops.count, MAX_DOUBLINGS)
      const [failures] = await Promise.all([hits.hit(`fail:${pair}`, lockMs), hits.hit(`fail:${target}`, HOUR_MS)])
      if (failures.count === guesses.perAddress) await hits.hit(`stops:${pair}`, DAY_MS)
    },

    /** Before a code is texted: per (number, address) per day, per number per day then one an hour, everyone per hour. */
    async admitSms (phone: string, address: string): Promise<void> {
      refuseOver(await hits.hit(`sms:${phone}|${address}`, DAY_MS), sms.perAddressDaily)
      const number = await hits.hit(`sms:${phone}`, DAY_MS)
      if (number.count > sms.perNumberDaily) refuseOver(await hits.hit(`sms-trickle:${phone}`, HOUR_MS), 1)
      refuseOver(await hits.hit('sms:all', HOUR_MS), sms.hourly)
    }
  }
}

function refuseOver ({ count, resetInMs }: { count: number, resetInMs: number }, max: number): void {
  if (count > max) throw ThrottledError.forMs(resetInMs)
}
