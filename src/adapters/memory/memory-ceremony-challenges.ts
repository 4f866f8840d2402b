import type { Ceremony, CeremonyChallenges } from '../../application/ports/shared-state/ceremony-challenges.js'
import type { Clock } from '../../application/ports/system/clock.js'
import { ExpiringMap } from './expiring-map.js'

/**
 * WebAuthn challenges in this process (the embedded default: one instance). `take` reads and
 * deletes with no await between, so two answers to one challenge cannot both find it.
 */
export function createMemoryCeremonyChallenges (clock: Clock): CeremonyChallenges {
  const challenges = new ExpiringMap<Ceremony>(clock)
  return {
    async issue (challenge, ceremony, ttlSeconds) {
      challenges.set(challenge, structuredClone(ceremony), new Date(clock.now().getTime() + ttlSeconds * 1000))
    },

    async take (challenge) {
      const ceremony = challenges.get(challenge)
      if (ceremony === undefined) return null
      challenges.delete(challenge)
      return ceremony
    }
  }
}
