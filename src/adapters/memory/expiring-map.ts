import type { Clock } from '../../application/ports/system/clock.js'

/**
 * A map whose entries die at a given instant, like Redis keys with a TTL. Expired entries are
 * dropped when read and swept now and then, so memory stays bounded by live entries.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V, expiresAt: number }>()
  private writes = 0

  constructor (private readonly clock: Clock) {}

  get (key: string): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }

  /** Milliseconds the entry still lives, or 0 when absent. */
  ttlMs (key: string): number {
    return this.get(key) === undefined ? 0 : this.entries.get(key)!.expiresAt - this.clock.now().getTime()
  }

  set (key: string, value: V, expiresAt: Date): void {
    if (++this.writes % 1024 === 0) this.sweep()
    this.entries.set(key, { value, expiresAt: expiresAt.getTime() })
  }

  /** Sets only when no live entry exists; true when this call set it. */
  setIfAbsent (key: string, value: V, expiresAt: Date): boolean {
    if (this.get(key) !== undefined) return false
    this.set(key, value, expiresAt)
    return true
  }

  delete (key: string): void { this.entries.delete(key) }

  /** Forgets every entry. */
  clear (): void { this.entries.clear() }

  private sweep (): void {
    const now = this.clock.now().getTime()
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }
}
