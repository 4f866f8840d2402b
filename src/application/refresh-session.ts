import { InvalidTokenError, RejectedMemberError, UserNotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { UserRepository } from './ports/user-repository.js'
import type { TokenService } from './token-service.js'

export interface RefreshSessionDeps { tokens: TokenService, revocations: RevocationStore, users: UserRepository }

/**
 * Rotation: a refresh token is spent once. Revoking it is the atomic step: of two requests with
 * the same token only the one whose revoke succeeds gets a new pair.
 */
export const makeRefreshSession = ({ tokens, revocations, users }: RefreshSessionDeps) =>
  async function refreshSession (refreshToken: string): Promise<{ access: string, refresh: string }> {
    const claims = tokens.read(refreshToken, 'refresh')
    const userId = fromShortUuid(claims.sub)
    if (userId === null) throw new InvalidTokenError()
    const user = await users.findById(userId)
    if (user === null) throw new UserNotFoundError()
    if (user.status === 'rejected') throw new RejectedMemberError() // pending members may refresh (contract)
    if (tokens.predatesSignOut(claims, user)) throw new InvalidTokenError()
    if (!await revocations.revoke(claims.jti, tokens.expiryOf(claims))) throw new InvalidTokenError()
    const pair = tokens.issuePair(claims.sub, claims.fam)
    return { access: pair.access, refresh: pair.refresh }
  }
