import { InvalidTokenError } from '../domain/errors.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { TokenService } from './token-service.js'

export interface LogoutRefreshDeps { tokens: TokenService, revocations: RevocationStore }

/** Seed 1 logout: blacklists the refresh token; its access token lives out its short life. */
export const makeLogoutRefresh = ({ tokens, revocations }: LogoutRefreshDeps) =>
  async function logoutRefresh (refreshToken: string): Promise<void> {
    const claims = tokens.read(refreshToken, 'refresh')
    if (!await revocations.revoke(claims.jti, tokens.expiryOf(claims))) throw new InvalidTokenError()
  }
