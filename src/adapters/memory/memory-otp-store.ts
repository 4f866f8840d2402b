import type { Clock } from '../../application/ports/system/clock.js'
import type { OtpStore } from '../../application/ports/shared-state/otp-store.js'
import type { CodeSubject } from '../../domain/code-subject.js'
import { ExpiringMap } from './expiring-map.js'

/** A code, the network that asked for it, its wrong tries and those of every other network together. */
interface Code { hash: string, owner: string, tries: number, others: number }

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
  function keepAside (subject: CodeSubject): void {
    replaced.delete(subject)
    const live = codes.get(subject)
    if (live === undefined) return
    replaced.set(subject, live, new Date(clock.now().getTime() + codes.ttlMs(subject)))
  }

  return {
    async issue (subject, codeHash, { ttlSeconds, cooldownSeconds, owner, replaceOthers }) {
      const waitMs = cooldowns.ttlMs(subject)
      if (waitMs > 0) return Math.ceil(waitMs / 1000)
      const live = codes.get(subject)
      if (!replaceOthers && live !== undefined && live.owner !== owner) return Math.ceil(codes.ttlMs(subject) / 1000)
      const now = clock.now().getTime()
      keepAside(subject)
      codes.set(subject, { hash: codeHash, owner, tries: 0, others: 0 }, new Date(now + ttlSeconds * 1000))
      if (cooldownSeconds > 0) cooldowns.set(subject, true, new Date(now + cooldownSeconds * 1000))
      return 0
    },

    async check (subject, codeHash, { maxTries, client }) {
      const code = codes.get(subject)
      if (code === undefined) return 'none'
      const side = client === code.owner ? 'tries' : 'others'
      if (code[side] >= maxTries) return 'void' // void for this side: compared no more
      if (code.hash === codeHash) {
        codes.delete(subject)
        return 'ok'
      }
      return ++code[side] < maxTries ? 'wrong' : 'void'
    },

    async withdraw (subject, codeHash) {
      if (codes.get(subject)?.hash !== codeHash) return
      codes.delete(subject)
      cooldowns.delete(subject)
      const previous = replaced.get(subject)
      if (previous === undefined) return
      codes.set(subject, previous, new Date(clock.now().getTime() + replaced.ttlMs(subject)))
      replaced.delete(subject)
    }
  }
}
