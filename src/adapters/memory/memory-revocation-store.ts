import type { Clock } from '../../application/ports/clock.js'
import type { RevocationStore } from '../../application/ports/revocation-store.js'
import { ExpiringMap } from './expiring-map.js'

/** One instance only: revocations are not seen by other processes (the embedded default warns). */
export class MemoryRevocationStore implements RevocationStore {
  private readonly revoked: ExpiringMap<true>

  constructor (clock: Clock) { this.revoked = new ExpiringMap(clock) }

  async revoke (jti: string, until: Date): Promise<boolean> {
    return this.revoked.setIfAbsent(jti, true, until)
  }

  async isRevoked (jti: string): Promise<boolean> {
    return this.revoked.get(jti) !== undefined
  }
}
