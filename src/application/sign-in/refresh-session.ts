import { InvalidTokenError, RejectedMemberError } from '../../domain/errors.js'
import type { AdmitToken } from '../sessions/admit-token.js'
import type { Clock } from '../ports/system/clock.js'
import type { RevocationStore } from '../ports/shared-state/revocation-store.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { TokenPair, TokenService } from '../sessions/token-service.js'

export interface RefreshSessionDeps {
  tokens: TokenService
  admitToken: AdmitToken
  revocations: RevocationStore
  accounts: AccountRepository
  clock: Clock
  reuseGraceSeconds: number
  sessions: MemberSessions
}

/**
 * Rotation with reuse detection. A refresh token is spent once: the first refresh records its
 * successor pair in the family's record. A refresh of the same token within the grace window (an
 * app firing two at once) gets that same pair; one after it, or of any older token of the family,
 * means the token was copied, so the whole family (every token descended from that login) is
 * revoked and the thief and the user both sign in again.
 *
 * One round trip to the shared state: the rotation is claimed beside the admission's reads (the
 * revocation check and the member's card), not after them. A claim is only a record, dated at the
 * issuer's instant taken before those reads: nothing is signed until the admission has passed,
 * and a token the admission refuses (revoked, its member rejected or gone, issued before a
 * sign-out) leaves at most a rotation no token of that family can use (every later admission of
 * the family refuses it for the same reason). A refused token's family is not revoked for reuse:
 * the refusal stands first, as it did when the claim came after.
 */
export const makeRefreshSession = ({
  tokens,
  admitToken,
  revocations,
  accounts,
  clock,
  reuseGraceSeconds,
  sessions
}: RefreshSessionDeps) =>
  async function refreshSession (refreshToken: string, client: string): Promise<TokenPair> {
    const issuer = tokens.issuer()
    const claims = tokens.read(refreshToken, 'refresh')
    if (claims.fam === undefined) throw new InvalidTokenError()
    const successor = issuer.pairClaims(claims.sub, claims.fam, claims.auth_time)
    const now = clock.now().getTime()
    const graceMs = reuseGraceSeconds * 1000
    const [admission, claiming] = await Promise.allSettled([
      // The card, not the whole user: with Redis it is a cached copy, and refreshing reads no database.
      admitToken.claims(
        claims,
        id => issuer.read(() => accounts.findCard(id)),
        found => {
          if (found.status === 'rejected') throw new RejectedMemberError() // pending members may refresh (contract)
        }
      ),
      // The record outlives the successor, the family's newest token (familyExpiry is its expiry).
      revocations.claimRotation(
        claims.fam,
        claims.jti,
        { at: now, ...successor },
        { keepMs: graceMs, until: tokens.familyExpiry() }
      )
    ])
    if (admission.status === 'rejected') throw admission.reason
    if (claiming.status === 'rejected') throw claiming.reason
    const { userId, found: standing } = admission.value
    const claim = claiming.value
    if (claim.outcome === 'rotated') {
      sessions.used(userId, claims.fam, client)
      return issuer.signPair(standing, successor)
    }
    if (claim.outcome === 'earlier' && now - claim.rotation.at <= graceMs) {
      return issuer.signPair(standing, claim.rotation)
    }
    await revocations.revoke(claims.fam, tokens.familyExpiry())
    throw new InvalidTokenError()
  }
