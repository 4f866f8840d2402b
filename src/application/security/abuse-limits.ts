import { clientKey } from '../../domain/client-network.js'
import { ThrottledError } from '../../domain/errors.js'
import type { HitCounter, Pace } from '../ports/shared-state/hit-counter.js'
import type { KnownClients } from '../ports/shared-state/known-clients.js'

/**
 * Every abuse limit of the service, in one place. The rule that shapes them all: a stranger must
 * not be able to spend a member's budget. After OWASP's "device cookie" protocol, a client the
 * member has proved a target from (the right password or code, within 30 days) is *known* for it
 * and limited on its own; every other client is a stranger, limited on its own too and, all
 * strangers together, by one budget per target that they can exhaust without touching the known
 * ones. A member on a brand-new network during an attack still has a way in that strangers cannot
 * block: a code sent to the address or number they hold belongs to the network that asked for it
 * (one-time-codes.ts), and its right use makes that network known.
 *
 * Every budget is a leaky bucket (ports/hit-counter.ts): it drains continuously, so no window
 * opens afresh and the guesses a day are bounded by the settings alone (docs/security.md, checked
 * by test/application/guess-budget.test.ts).
 *
 * A counter that cannot be read (Redis away) throws ServiceUnavailableError: a limited route
 * answers 503 rather than serve unlimited.
 */
export interface AbuseSettings {
  /** Off: no per-address request limit and no guess limits (load tests). Code tries and SMS caps always hold. */
  enabled: boolean
  /** Requests per client per limited route: `max` at once, refilled evenly over `windowSeconds`. */
  perAddress: { max: number, windowSeconds: number }
  guesses: {
    /** Wrong guesses one client may make at one target at once; past them, its guesses are spaced out. */
    perAddress: number
    /**
     * The first space between a client's guesses past `perAddress`; it doubles with each further one, up to 64 times.
     */
    lockSeconds: number
    /** Wrong guesses at one target that all strangers together may make at once. */
    perTarget: number
    /**
     * The longest space between two strangers' guesses at one target (1 s, doubling up to it); their budget drains one
     * guess per this.
     */
    maxDelaySeconds: number
  }
  sms: {
    /** Codes to one number (or mail address) per day at the request of one client. */
    perAddressDaily: number
    /** Codes to one number per day at the request of strangers together; past it, one an hour. */
    perNumberDaily: number
    /** Codes texted and mailed per hour to everyone: a ceiling on what a pumping attack can cost. */
    hourly: number
  }
}

/**
 * What is guessed at: a member's number (`tel:+8210…`) or email (`mail:…`) in canonical form, a
 * staff email (`staff:…`), a staff member's second factor (`staff-totp:<id>`), or undo codes
 * (`undo:all`: the undo route names no member, so all its guesses share one target and one
 * strangers' budget; sign-in-undo.ts).
 */
export type GuessTarget =
  | CodeTarget
  | `staff:${string}`
  | `staff-totp:${string}`
  | `undo:${string}`
  | `idp:${string}`
  | `passkey:${string}`

/** Where a one-time code goes: a number or a mail address. */
export type CodeTarget = `tel:${string}` | `mail:${string}`

/**
 * What a guess is: a secret the target always has (a password, a TOTP code), which the guard
 * limits per client and per target; or a one-time code, whose tries are limited by the code
 * itself (the network that asked for it and everyone else each get their own tries), so the guard
 * only records who proved what.
 */
export type GuessKind = 'secret' | 'code'

const SECOND_MS = 1000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** How long a right guess makes its client known, and how many known clients a target keeps. */
const KNOWN_CLIENTS = { forMs: 30 * DAY_MS, keep: 10 }
/** A client's guesses are spaced out up to 2^6 = 64 times the first space (16 h for 15 min). */
const MAX_DOUBLINGS = 6

/** The paces the settings make (the guess-budget test plays them out through the limits themselves). */
function pacesOf (settings: AbuseSettings) {
  const { guesses, sms } = settings
  const clientMaxGapMs = guesses.lockSeconds * SECOND_MS * 2 ** MAX_DOUBLINGS
  const even = (free: number, periodMs: number): Pace => {
    const gap = periodMs / free
    return { free, firstGapMs: gap, maxGapMs: gap, drainMs: gap }
  }
  return {
    request: even(settings.perAddress.max, settings.perAddress.windowSeconds * SECOND_MS),
    /**
     * One client at one target: its free guesses, then spaces from `lockSeconds` doubling to 64 times it; drains one
     * per longest space.
     */
    clientGuesses: {
      free: guesses.perAddress,
      firstGapMs: guesses.lockSeconds * SECOND_MS,
      maxGapMs: clientMaxGapMs,
      drainMs: clientMaxGapMs
    },
    /**
     * All strangers at one target: their free guesses, then spaces from 1 s doubling to the longest delay; drains one
     * per longest delay.
     */
    strangerGuesses: {
      free: guesses.perTarget,
      firstGapMs: SECOND_MS,
      maxGapMs: guesses.maxDelaySeconds * SECOND_MS,
      drainMs: guesses.maxDelaySeconds * SECOND_MS
    },
    clientCodes: even(sms.perAddressDaily, DAY_MS),
    /** Strangers' codes to one number: the daily cap at once, then one an hour. */
    strangerCodes: { free: sms.perNumberDaily, firstGapMs: HOUR_MS, maxGapMs: HOUR_MS, drainMs: HOUR_MS },
    allCodes: even(sms.hourly, HOUR_MS)
  } satisfies Record<string, Pace>
}

export type AbuseLimits = ReturnType<typeof makeAbuseLimits>

export function makeAbuseLimits ({
  hits,
  known,
  settings
}: {
  hits: HitCounter
  known: KnownClients
  settings: AbuseSettings
}) {
  const paces = pacesOf(settings)

  /**
   * Counts one hit of each bucket, all or none: when one refuses, the others' hits are taken
   * back, and the refusal says how long until all would pass.
   */
  const hitAll = async (buckets: Array<[string, Pace]>): Promise<void> => {
    const results = await Promise.all(buckets.map(([key, pace]) => hits.hit(key, pace)))
    const refused = results.filter(result => !result.passed)
    if (refused.length === 0) return
    await Promise.all(buckets.filter((_, i) => results[i]!.passed).map(([key, pace]) => hits.refund(key, pace)))
    throw ThrottledError.forMs(Math.max(...refused.map(result => result.retryInMs)))
  }
  const refundAll = (buckets: Array<[string, Pace]>) =>
    Promise.all(buckets.map(([key, pace]) => hits.refund(key, pace)))

  return {
    /** One request of a limited route from a client (which routes: their own `config.limit`, http/rate-limits.ts). */
    async admitRequest (route: string, address: string): Promise<void> {
      if (!settings.enabled) return
      await hitAll([[`req:${route}|${clientKey(address)}`, paces.request]])
    },

    /**
     * The one guard of every guess: admits it, makes it, and records what it was. A secret's
     * guess counts first against the client's own budget at the target, and, from a stranger,
     * against all strangers' budget there; the budgets are taken before the attempt, so parallel
     * guesses cannot overrun them. A right guess gives both back, clears the client's record and
     * makes the client known for the target; a wrong one stays counted; an attempt that throws
     * (a dependency down, a refusal that is not a guess) is given back and rethrown. `client` is
     * the request's address, or for a second factor the sign-in session it belongs to.
     */
    async guard (
      target: GuessTarget,
      client: string,
      attempt: () => Promise<boolean>,
      kind: GuessKind = 'secret'
    ): Promise<boolean> {
      const who = clientKey(client)
      if (kind === 'code' || !settings.enabled) {
        const right = await attempt()
        if (right) await known.remember(target, who, KNOWN_CLIENTS)
        return right
      }
      const mine: [string, Pace] = [`guess:${target}|${who}`, paces.clientGuesses]
      const buckets = (await known.isKnown(target, who, KNOWN_CLIENTS))
        ? [mine]
        : [mine, [`guess:${target}`, paces.strangerGuesses] as [string, Pace]]
      await hitAll(buckets)
      let right: boolean
      try {
        right = await attempt()
      } catch (error) {
        await refundAll(buckets).catch(() => {})
        throw error
      }
      if (right) {
        await Promise.all([
          hits.clear(mine[0]),
          refundAll(buckets.slice(1)),
          known.remember(target, who, KNOWN_CLIENTS)
        ])
      }
      return right
    },

    /** Whether the client (an address, or a console browser's `device:` id) proved the target within 30 days. */
    isKnown: (target: GuessTarget, client: string): Promise<boolean> =>
      known.isKnown(target, clientKey(client), KNOWN_CLIENTS),

    /**
     * Makes a client known for a target it was just proved at by other means (a console browser, by its signed-in
     * user).
     */
    recognise: (target: GuessTarget, client: string): Promise<void> =>
      known.remember(target, clientKey(client), KNOWN_CLIENTS),

    /**
     * Before a code is texted or mailed to a target: per (target, client) a day; strangers
     * together per target a day, then one an hour (known clients are not held by it, so strangers
     * cannot use up a member's codes); everyone together per hour. `knownClient`: whether the
     * client is known for the target, when the caller has looked already.
     */
    async admitCode (target: CodeTarget, address: string, knownClient?: boolean): Promise<void> {
      const who = clientKey(address)
      const mine: [string, Pace] = [`code:${target}|${who}`, paces.clientCodes]
      const all: [string, Pace] = ['code:all', paces.allCodes]
      const strangers: Array<[string, Pace]> =
        (knownClient ?? (await known.isKnown(target, who, KNOWN_CLIENTS)))
          ? []
          : [[`code:${target}`, paces.strangerCodes]]
      await hitAll([mine, ...strangers, all])
    }
  }
}
