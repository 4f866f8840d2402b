import type { AppleTokens } from '../ports/outbound/apple-tokens.js'
import type { ProviderRevocations } from '../ports/records/provider-revocations.js'
import type { Clock } from '../ports/system/clock.js'

export interface RevokeProviderTokensDeps {
  revocations: ProviderRevocations
  /** null: Apple is not configured (nothing was ever kept to revoke). */
  appleTokens: AppleTokens | null
  clock: Clock
}

/** A revocation Apple did not confirm is tried again after this long, by the sweeper. */
export const REVOCATION_RETRY_SECONDS = 300

export interface RevocationReport { revoked: number, failed: number }

/**
 * Revokes queued provider tokens (Apple's refresh tokens of deleted members and unlinked
 * identities, App Store guideline 5.1.1(v)). The queue row is written in the transaction that
 * removed the identity and leaves only once Apple confirmed, so a deletion goes ahead while Apple
 * is down and the revocation follows when it is back.
 */
export const makeRevokeProviderTokens = ({ revocations, appleTokens, clock }: RevokeProviderTokensDeps) =>
  async function revokeProviderTokens (limit = 100): Promise<RevocationReport> {
    const report: RevocationReport = { revoked: 0, failed: 0 }
    if (appleTokens === null) return report
    const due = await revocations.due(clock.now(), limit)
    await Promise.all(due.map(async (item) => {
      try {
        await appleTokens.revoke(item.token, item.clientId)
        await revocations.complete(item.id)
        report.revoked++
      } catch {
        report.failed++
        await revocations
          .postpone(item.id, new Date(clock.now().getTime() + REVOCATION_RETRY_SECONDS * 1000))
          .catch(() => {})
      }
    }))
    return report
  }

export type RevokeProviderTokens = ReturnType<typeof makeRevokeProviderTokens>
