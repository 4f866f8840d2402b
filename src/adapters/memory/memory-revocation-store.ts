import type { Clock } from '../../application/ports/system/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/shared-state/revocation-store.js'
import { SecurityStateLostError } from '../../domain/errors.js'
import { ExpiringMap } from './expiring-map.js'

/**
 * One instance only: revocations are not seen by other processes (the embedded default warns).
 * A process starts with nothing, so the store starts as one that lost its data: not whole until
 * restored from the durable copy (PGlite's), and a restart no longer forgets a sign-out.
 */
export function createMemoryRevocationStore (clock: Clock): RevocationStore & { forget (): void } {
  const revoked = new ExpiringMap<true>(clock)
  /** Each family's current refresh token. */
  const current = new ExpiringMap<string>(clock)
  /** What a spent refresh token was rotated into, for keepMs. */
  const rotations = new ExpiringMap<Rotation>(clock)
  let whole = false
  const assertWhole = () => { if (!whole) throw new SecurityStateLostError() }

  return {
    async revoke (id, until) {
      return revoked.setIfAbsent(id, true, until)
    },

    async isRevoked (...ids) {
      assertWhole()
      return ids.some((id) => revoked.get(id) !== undefined)
    },

    async claimRotation (family, jti, rotation, { keepMs, until }) {
      assertWhole()
      const earlier = rotations.get(jti)
      if (earlier !== undefined) return { outcome: 'earlier', rotation: structuredClone(earlier) }
      const latest = current.get(family)
      if (latest !== undefined && latest !== jti) return { outcome: 'superseded' }
      rotations.set(jti, structuredClone(rotation), new Date(clock.now().getTime() + keepMs))
      current.set(family, rotation.refresh.jti, until)
      return { outcome: 'rotated' }
    },

    async restore (load) {
      if (whole) return
      await load({
        revocations: async records => {
          for (const { id, until } of records) revoked.set(id, true, until)
        },
        // A rotation made since (the store answers while restoring only what restore writes) wins.
        families: async records => {
          for (const { family, currentJti, until } of records) {
            if (current.get(family) === undefined) current.set(family, currentJti, until)
          }
        }
      })
      whole = true
    },

    /** What a restart does to this store: everything gone (tests of the rebuild). */
    forget () {
      for (const map of [revoked, current, rotations]) map.clear()
      whole = false
    }
  }
}
