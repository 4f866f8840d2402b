import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { ExpiringMap } from './expiring-map.js'

interface FamilyRecord { current: string, rotations: Array<{ spent: string, at: number, rotation: Rotation }> }

/** One instance only: revocations are not seen by other processes (the embedded default warns). */
export function createMemoryRevocationStore (clock: Clock): RevocationStore {
  const revoked = new ExpiringMap<true>(clock)
  const families = new ExpiringMap<FamilyRecord>(clock)

  return {
    async revoke (id, until) {
      return revoked.setIfAbsent(id, true, until)
    },

    async isRevoked (...ids) {
      return ids.some((id) => revoked.get(id) !== undefined)
    },

    async claimRotation (family, jti, rotation, { keepMs, keepCount, until }) {
      const now = clock.now().getTime()
      const record = families.get(family)
      const earlier = record?.rotations.find((kept) => kept.spent === jti)
      if (earlier !== undefined) return { outcome: 'earlier', rotation: structuredClone(earlier.rotation) }
      if (record !== undefined && record.current !== jti) return { outcome: 'superseded' }
      const kept = (record?.rotations ?? []).filter((older) => now - older.at <= keepMs)
      const rotations = [...kept, { spent: jti, at: now, rotation: structuredClone(rotation) }].slice(-keepCount)
      families.set(family, { current: rotation.refresh.jti, rotations }, until)
      return { outcome: 'rotated' }
    }
  }
}
