import type { Clock } from '../../application/ports/clock.js'
import type { OtpStore } from '../../application/ports/otp-store.js'
import type { PhoneNumber } from '../../domain/user.js'
import { ExpiringMap } from './expiring-map.js'

/** A code and its wrong tries; a void code keeps its entry (hash null) so checks answer 'void'. */
interface Code { hash: string | null, tries: number }

/**
 * One instance only: codes, cooldowns and tries are not seen by other processes. No method
 * awaits anything, so each call runs from read to write before another starts: that is what makes
 * them atomic, as the Redis scripts are.
 */
export function createMemoryOtpStore (clock: Clock): OtpStore {
  const codes = new ExpiringMap<Code>(clock)
  const replaced = new ExpiringMap<Code>(clock)
  const cooldowns = new ExpiringMap<true>(clock)

  /** The live code (void or not) moves aside with its remaining life; an older one is dropped. */
  function keepAside (phone: PhoneNumber): void {
    replaced.delete(phone)
    const live = codes.get(phone)
    if (live === undefined) return
    replaced.set(phone, live, new Date(clock.now().getTime() + codes.ttlMs(phone)))
  }

  return {
    async issue (phone, codeHash, { ttlSeconds, cooldownSeconds }) {
      const waitMs = cooldowns.ttlMs(phone)
      if (waitMs > 0) return Math.ceil(waitMs / 1000)
      const now = clock.now().getTime()
      keepAside(phone)
      codes.set(phone, { hash: codeHash, tries: 0 }, new Date(now + ttlSeconds * 1000))
      if (cooldownSeconds > 0) cooldowns.set(phone, true, new Date(now + cooldownSeconds * 1000))
      return 0
    },

    async check (phone, codeHash, { maxTries }) {
      const code = codes.get(phone)
      if (code === undefined) return 'none'
      if (code.hash === null) return 'void'
      if (code.hash === codeHash) {
        codes.delete(phone)
        return 'ok'
      }
      code.tries++
      if (code.tries < maxTries) return 'wrong'
      code.hash = null
      return 'void'
    },

    async withdraw (phone, codeHash) {
      if (codes.get(phone)?.hash !== codeHash) return
      codes.delete(phone)
      cooldowns.delete(phone)
      const previous = replaced.get(phone)
      if (previous === undefined) return
      codes.set(phone, previous, new Date(clock.now().getTime() + replaced.ttlMs(phone)))
      replaced.delete(phone)
    }
  }
}
