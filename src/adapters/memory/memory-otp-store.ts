import type { Clock } from '../../application/ports/clock.js'
import type { OtpCheck, OtpCheckOptions, OtpIssueOptions, OtpStore } from '../../application/ports/otp-store.js'
import type { PhoneNumber } from '../../domain/user.js'
import { ExpiringMap } from './expiring-map.js'

interface Tries { count: number, until: Date }

/**
 * One instance only: codes, cooldowns and tries are not seen by other processes. Neither method
 * awaits anything, so each call runs from read to write before another starts: that is what makes
 * `check` atomic, as the Redis script is.
 */
export class MemoryOtpStore implements OtpStore {
  private readonly codes: ExpiringMap<string>
  private readonly cooldowns: ExpiringMap<true>
  private readonly tries: ExpiringMap<Tries>

  constructor (private readonly clock: Clock) {
    this.codes = new ExpiringMap(clock)
    this.cooldowns = new ExpiringMap(clock)
    this.tries = new ExpiringMap(clock)
  }

  async issue (phone: PhoneNumber, codeHash: string, { ttlSeconds, cooldownSeconds }: OtpIssueOptions): Promise<number> {
    const waitMs = this.cooldowns.ttlMs(phone)
    if (waitMs > 0) return Math.ceil(waitMs / 1000)
    const now = this.clock.now().getTime()
    this.codes.set(phone, codeHash, new Date(now + ttlSeconds * 1000))
    if (cooldownSeconds > 0) this.cooldowns.set(phone, true, new Date(now + cooldownSeconds * 1000))
    return 0
  }

  async check (phone: PhoneNumber, codeHash: string, { maxTries, tryWindowSeconds }: OtpCheckOptions): Promise<OtpCheck> {
    const tries = this.tries.get(phone)
    // Checked before the code, so a fresh code cannot reopen a number that used up its tries.
    if (tries !== undefined && tries.count >= maxTries) return 'void'
    const code = this.codes.get(phone)
    if (code === undefined) return 'none'
    if (code === codeHash) {
      this.codes.delete(phone)
      this.tries.delete(phone)
      return 'ok'
    }
    // The window runs from the first wrong try; later tries keep its end.
    const until = tries?.until ?? new Date(this.clock.now().getTime() + tryWindowSeconds * 1000)
    const count = (tries?.count ?? 0) + 1
    this.tries.set(phone, { count, until }, until)
    if (count < maxTries) return 'wrong'
    this.codes.delete(phone)
    return 'void'
  }

  async withdraw (phone: PhoneNumber, codeHash: string): Promise<void> {
    if (this.codes.get(phone) !== codeHash) return
    this.codes.delete(phone)
    this.cooldowns.delete(phone)
  }
}
