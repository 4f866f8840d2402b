/**
 * Reads typed values from an environment, collecting a message for every bad variable instead
 * of stopping at the first, so an operator fixes them all in one go.
 */
export class EnvReader {
  readonly problems: string[] = []
  /** Every name asked for: the variables this service knows. */
  readonly known = new Set<string>()

  constructor (private readonly env: Record<string, string | undefined>) {}

  /** Unset and empty are the same: absent. */
  raw (name: string): string | undefined {
    this.known.add(name)
    const value = this.env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  string (name: string, fallback: string): string {
    return this.raw(name) ?? fallback
  }

  optional (name: string): string | null {
    return this.raw(name) ?? null
  }

  integer (name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const value = this.raw(name)
    if (value === undefined) return fallback
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      return this.fail(name, `must be a whole number from ${min} to ${max}`, fallback)
    }
    return Number(value)
  }

  boolean (name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase()
    if (value === undefined) return fallback
    if (['true', '1', 'yes'].includes(value)) return true
    if (['false', '0', 'no'].includes(value)) return false
    return this.fail(name, 'must be true or false', fallback)
  }

  /** Seconds, written as `900`, `15m`, `12h` or `30d`. */
  duration (name: string, fallbackSeconds: number, { min = 1 } = {}): number {
    const value = this.raw(name)
    if (value === undefined) return fallbackSeconds
    const match = /^(\d+)\s*(s|m|h|d)?$/.exec(value)
    const seconds = match === null ? NaN : Number(match[1]) * UNIT_SECONDS[match[2] ?? 's']!
    if (!Number.isSafeInteger(seconds) || seconds < min) {
      return this.fail(name, `must be a duration of at least ${min}s, such as 900, 15m, 12h or 30d`, fallbackSeconds)
    }
    return seconds
  }

  oneOf<T extends string> (name: string, choices: readonly T[], fallback: T): T {
    const value = this.raw(name)
    if (value === undefined) return fallback
    if (!(choices as readonly string[]).includes(value)) {
      return this.fail(name, `must be one of ${choices.join(', ')}`, fallback)
    }
    return value as T
  }

  url (name: string, protocols: string[]): string | null {
    const value = this.raw(name)
    if (value === undefined) return null
    try {
      const parsed = new URL(value)
      if (!protocols.includes(parsed.protocol)) return this.fail(name, `must be a ${protocols.join(' or ')} URL`, null)
    } catch {
      return this.fail(name, 'must be a URL', null)
    }
    return value
  }

  fail<T> (name: string, message: string, fallback: T): T {
    this.problems.push(`${name} ${message}`)
    return fallback
  }

  /**
   * Variables that are not ours but are one or two edits (a typo, two letters swapped) from one
   * that is: `JWT_SECRETS`, `DATABSE_URL`. Call after every variable has been read. Short names
   * allow one edit only, so the environment's own `HOME` is not taken for `HOST`.
   */
  nearMisses (): Array<{ variable: string, known: string }> {
    const misses: Array<{ variable: string, known: string }> = []
    for (const variable of Object.keys(this.env)) {
      if (this.known.has(variable)) continue
      const upper = variable.toUpperCase()
      for (const known of this.known) {
        const allowed = known.length <= 6 ? 1 : 2
        if (Math.abs(known.length - upper.length) <= allowed && editDistance(upper, known) <= allowed) {
          misses.push({ variable, known })
          break
        }
      }
    }
    return misses
  }
}

/** Edits (insert, delete, replace, swap two neighbours) between two strings: optimal string alignment. */
export function editDistance (a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      }
      rows[i]![j] = best
    }
  }
  return rows[a.length]![b.length]!
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }
