import { InvalidTokenError, UserNotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { User } from '../domain/user.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { TokenClaims } from './ports/token-codec.js'
import type { Standing, UserRepository } from './ports/user-repository.js'
import type { TokenService } from './token-service.js'

/** Who is calling: the user's id and standing (not the whole row: most routes need no more). */
export interface Principal { userId: string, standing: Standing, claims: TokenClaims }

export interface AuthenticateDeps { tokens: TokenService, revocations: RevocationStore, users: UserRepository }

/**
 * Turns a bearer access token from either door into its live user, reading `lookup(userId)` in
 * parallel with the token's revocation. `authenticate` reads the standing (with Redis a cached
 * copy: no database read); `authenticateAccount` reads the row, for routes that show it anyway.
 */
export const makeAuthenticate = ({ tokens, revocations, users }: AuthenticateDeps) => {
  async function admit<T extends Standing> (token: string | null, lookup: (userId: string) => Promise<T | null>): Promise<{ principal: Principal, found: T }> {
    if (token === null) throw new InvalidTokenError()
    const claims = tokens.read(token, 'access')
    const userId = fromShortUuid(claims.sub)
    if (userId === null) throw new InvalidTokenError()
    const [revoked, found] = await Promise.all([revocations.isRevoked(...tokens.revocableIds(claims)), lookup(userId)])
    if (revoked) throw new InvalidTokenError()
    if (found === null) throw new UserNotFoundError()
    if (tokens.predatesSignOut(claims, found)) throw new InvalidTokenError()
    return { principal: { userId, standing: { status: found.status, tokensValidAfter: found.tokensValidAfter }, claims }, found }
  }

  return {
    authenticate: async (token: string | null): Promise<Principal> => (await admit(token, (id) => users.findStanding(id))).principal,
    authenticateAccount: async (token: string | null): Promise<{ principal: Principal, user: User }> => {
      const { principal, found } = await admit(token, (id) => users.findById(id))
      return { principal, user: found }
    }
  }
}

export type Authenticate = ReturnType<typeof makeAuthenticate>['authenticate']
