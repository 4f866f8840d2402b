import type { Principal } from './authenticate.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { EndSessions } from './end-sessions.js'
import type { TokenService } from './token-service.js'

export interface LogoutDeps { revocations: RevocationStore, tokens: TokenService, endSessions: EndSessions }

/**
 * Email door logout: this access token is refused everywhere until it would have expired.
 * With `everywhere`, every token issued to the user so far stops working too.
 */
export const makeLogout = ({ revocations, tokens, endSessions }: LogoutDeps) =>
  async function logout (principal: Principal, options: { everywhere: boolean } = { everywhere: false }): Promise<void> {
    await revocations.revoke(principal.claims.jti, tokens.expiryOf(principal.claims))
    if (options.everywhere) await endSessions.everywhere(principal.userId)
  }
