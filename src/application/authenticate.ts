import { InvalidTokenError, UserNotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { TokenClaims } from './ports/token-codec.js'
import type { Standing, UserRepository } from './ports/user-repository.js'
import type { TokenService } from './token-service.js'

/** Who is calling: the user's id and standing (not the whole row: most routes need no more). */
export interface Principal { userId: string, standing: Standing, claims: TokenClaims }

export interface AuthenticateDeps { tokens: TokenService, revocations: RevocationStore, users: UserRepository }

/**
 * Turns a bearer access token from either door into its live user. It reads the standing, which
 * with Redis is a cached copy: authenticating costs no database read.
 */
export const makeAuthenticate = ({ tokens, revocations, users }: AuthenticateDeps) =>
  async function authenticate (token: string | null): Promise<Principal> {
    if (token === null) throw new InvalidTokenError()
    const claims = tokens.read(token, 'access')
    const userId = fromShortUuid(claims.sub)
    if (userId === null) throw new InvalidTokenError()
    // Both lookups are independent; in parallel, on the hottest path.
    const [revoked, standing] = await Promise.all([revocations.isRevoked(...tokens.revocableIds(claims)), users.findStanding(userId)])
    if (revoked) throw new InvalidTokenError()
    if (standing === null) throw new UserNotFoundError()
    if (tokens.predatesSignOut(claims, standing)) throw new InvalidTokenError()
    return { userId, standing, claims }
  }

export type Authenticate = ReturnType<typeof makeAuthenticate>
