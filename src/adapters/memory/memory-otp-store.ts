import type { Clock } from '../../application/ports/clock.js'
import type { OtpCheck, OtpCheckOptions, OtpIssueOptions, OtpStore } from '../../application/ports/otp-store.js'
import type { PhoneNumber } from '../../domain/user.js'
import { ExpiringMap } from './expiring-map.js'

/** A code and its wrong tries; a void code keeps its entry (hash null) so checks answer 'void'. */
interface Code { hash: string | null, tries: number }

/**
 * One instance only: codes, cooldowns and tries are not seen by other processes. No method
 * awaits anything, so each call runs from read to write before another starts: that is what makes
 * them atomic, as the Redis scripts are.
 */
export class MemoryOtpStore implements OtpStore {
  private readonly codes: ExpiringMap<Code>
  private readonly replaced: ExpiringMap<Code>
  private readonly cooldowns: ExpiringMap<true>

  constructor (private readonly clock: Clock) {
    this.codes = new ExpiringMap(clock)
    this.replaced = new ExpiringMap(clock)
    this.cooldowns = new ExpiringMap(clock)
  }

  async issue (phone: PhoneNumber, codeHash: string, { ttlSeconds, cooldownSeconds }: OtpIssueOptions): Promise<number> {
    const waitMs = this.cooldowns.ttlMs(phone)
    if (waitMs > 0) return Math.ceil(waitMs / 1000)
    const now = this.clock.now().getTime()
    this.keepAside(phone)
    this.codes.set(phone, { hash: codeHash, tries: 0 }, new Date(now + ttlSeconds * 1000))
    if (cooldownSeconds > 0) this.cooldowns.set(phone, true, new Date(now + cooldownSeconds * 1000))
    return 0
  }

  async check (phone: PhoneNumber, codeHash: string, { maxTries }: OtpCheckOptions): Promise<OtpCheck> {
    const code = this.codes.get(phone)
    if (code === undefined) return 'none'
    if (code.hash === null) return 'void'
    if (code.hash === codeHash) {
      this.codes.delete(phone)
      return 'ok'
    }
    code.tries++
    if (code.tries < maxTries) return 'wrong'
    code.hash = null
    return 'void'
  }

  async withdraw (phone: PhoneNumber, codeHash: string): Promise<void> {
    if (this.codes.get(phone)?.hash !== codeHash) return
    this.codes.delete(phone)
    this.cooldowns.delete(phone)
    const previous = this.replaced.get(phone)
    if (previous === undefined) return
    this.codes.set(phone, previous, new Date(this.clock.now().getTime() + this.replaced.ttlMs(phone)))
    this.replaced.delete(phone)
  }

  /** The live code (void or not) moves aside with its remaining life; an older one is dropped. */
  private keepAside (phone: PhoneNumber): void {
    this.replaced.delete(phone)
    const live = this.codes.get(phone)
    if (live === undefined) return
    this.replaced.set(phone, live, new Date(this.clock.now().getTime() + this.codes.ttlMs(phone)))
  }
}
