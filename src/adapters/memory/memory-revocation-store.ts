import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore, Rotation } from '../../application/ports/revocation-store.js'
import { ExpiringMap } from './expiring-map.js'

/** One instance only: revocations are not seen by other processes (the embedded default warns). */
export class MemoryRevocationStore implements RevocationStore {
  private readonly revoked: ExpiringMap<true>
  private readonly rotations: ExpiringMap<Rotation>

  constructor (clock: Clock) {
    this.revoked = new ExpiringMap(clock)
    this.rotations = new ExpiringMap(clock)
  }

  async revoke (id: string, until: Date): Promise<boolean> {
    return this.revoked.setIfAbsent(id, true, until)
  }

  async isRevoked (...ids: string[]): Promise<boolean> {
    return ids.some((id) => this.revoked.get(id) !== undefined)
  }

  async claimRotation (jti: string, rotation: Rotation, until: Date): Promise<Rotation | null> {
    return this.rotations.setIfAbsent(jti, structuredClone(rotation), until) ? null : structuredClone(this.rotations.get(jti)!)
  }
}
