import type { Principal } from './authenticate.js'
import type { RevocationStore } from '../ports/shared-state/revocation-store.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { TokenService } from '../sessions/token-service.js'

export interface LogoutDeps {
  revocations: RevocationStore
  tokens: TokenService
  endSessions: EndSessions
  recordAudit: RecordAudit
  sessions: MemberSessions
}

/**
 * Email door logout: this access token is refused everywhere until it would have expired.
 * With `everywhere`, every token issued to the user so far stops working too.
 */
export const makeLogout = ({ revocations, tokens, endSessions, recordAudit, sessions }: LogoutDeps) =>
  async function logout (principal: Principal, options: { everywhere: boolean, client: string }): Promise<void> {
    await revocations.revoke(principal.claims.jti, tokens.expiryOf(principal.claims))
    if (options.everywhere) await endSessions.everywhere(principal.userId)
    else await sessions.forget(principal.userId, principal.claims)
    // Recorded once done: the trail says what happened, not what was asked.
    const memberId = principal.userId
    await recordAudit(
      { kind: 'member', memberId },
      options.everywhere ? 'member.signed_out_everywhere' : 'member.signed_out',
      { memberId, address: options.client, detail: { door: 'email' } }
    )
  }
