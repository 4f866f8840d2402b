import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { ExpiringMap } from './expiring-map.js'

/** One instance only: revocations are not seen by other processes (the embedded default warns). */
export function createMemoryRevocationStore (clock: Clock): RevocationStore {
  const revoked = new ExpiringMap<true>(clock)
  /** Each family's current refresh token. */
  const current = new ExpiringMap<string>(clock)
  /** What a spent refresh token was rotated into, for keepMs. */
  const rotations = new ExpiringMap<Rotation>(clock)

  return {
    async revoke (id, until) {
      return revoked.setIfAbsent(id, true, until)
    },

    async isRevoked (...ids) {
      return ids.some((id) => revoked.get(id) !== undefined)
    },

    async claimRotation (family, jti, rotation, { keepMs, until }) {
      const earlier = rotations.get(jti)
      if (earlier !== undefined) return { outcome: 'earlier', rotation: structuredClone(earlier) }
      const latest = current.get(family)
      if (latest !== undefined && latest !== jti) return { outcome: 'superseded' }
      rotations.set(jti, structuredClone(rotation), new Date(clock.now().getTime() + keepMs))
      current.set(family, rotation.refresh.jti, until)
      return { outcome: 'rotated' }
    }
  }
}
