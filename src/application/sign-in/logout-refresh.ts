import { InvalidTokenError } from '../../domain/errors.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import type { RevocationStore } from '../ports/shared-state/revocation-store.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { TokenService } from '../sessions/token-service.js'

export interface LogoutRefreshDeps {
  tokens: TokenService
  revocations: RevocationStore
  recordAudit: RecordAudit
  sessions: MemberSessions
}

/**
 * The phone door's logout: blacklists the refresh token and every refresh token of its family (so an
 * earlier, rotated copy cannot come back); the access token lives out its short life, as the phone app's API document
 * says. A second logout with the same token is refused.
 */
export const makeLogoutRefresh = ({ tokens, revocations, recordAudit, sessions }: LogoutRefreshDeps) =>
  async function logoutRefresh (input: { refresh: string, client: string }): Promise<void> {
    const claims = tokens.read(input.refresh, 'refresh')
    // Every token we sign names a member by their short uuid; one that does not is not ours.
    const memberId = fromShortUuid(claims.sub)
    if (memberId === null) throw new InvalidTokenError()
    if (await revocations.isRevoked(...tokens.revocableIds(claims))) throw new InvalidTokenError()
    // The family's refresh side first: should the second step fail, a retry still ends the session.
    if (claims.fam !== undefined) await revocations.revoke(tokens.refreshSideOf(claims.fam), tokens.familyExpiry())
    if (!await revocations.revoke(claims.jti, tokens.expiryOf(claims))) throw new InvalidTokenError()
    await sessions.forget(memberId, claims)
    await recordAudit({ kind: 'member', memberId }, 'member.signed_out', {
      memberId,
      address: input.client,
      detail: { door: 'phone' }
    })
  }
