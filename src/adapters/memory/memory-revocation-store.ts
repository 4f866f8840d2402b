import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { ExpiringMap } from './expiring-map.js'

/** One instance only: revocations are not seen by other processes (the embedded default warns). */
export function createMemoryRevocationStore (clock: Clock): RevocationStore {
  const revoked = new ExpiringMap<true>(clock)
  const rotations = new ExpiringMap<Rotation>(clock)

  return {
    async revoke (id, until) {
      return revoked.setIfAbsent(id, true, until)
    },

    async isRevoked (...ids) {
      return ids.some((id) => revoked.get(id) !== undefined)
    },

    async claimRotation (jti, rotation, until) {
      return rotations.setIfAbsent(jti, structuredClone(rotation), until) ? null : structuredClone(rotations.get(jti)!)
    }
  }
}
