import { InvalidTokenError, UserNotFoundError } from '../domain/errors.js'
import { fromShortUuid } from '../domain/short-uuid.js'
import type { User } from '../domain/user.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { TokenClaims } from './ports/token-codec.js'
import type { UserRepository } from './ports/user-repository.js'
import type { TokenService } from './token-service.js'

export interface Principal { user: User, claims: TokenClaims }

export interface AuthenticateDeps { tokens: TokenService, revocations: RevocationStore, users: UserRepository }

/** Turns a bearer access token from either door into its live user. */
export const makeAuthenticate = ({ tokens, revocations, users }: AuthenticateDeps) =>
  async function authenticate (token: string | null): Promise<Principal> {
    if (token === null) throw new InvalidTokenError()
    const claims = tokens.read(token, 'access')
    const userId = fromShortUuid(claims.sub)
    if (userId === null) throw new InvalidTokenError()
    // Both lookups are independent; one round trip each, in parallel, on the hottest path.
    const [revoked, user] = await Promise.all([revocations.isRevoked(...tokens.revocableIds(claims)), users.findById(userId)])
    if (revoked) throw new InvalidTokenError()
    if (user === null) throw new UserNotFoundError()
    if (tokens.predatesSignOut(claims, user)) throw new InvalidTokenError()
    return { user, claims }
  }

export type Authenticate = ReturnType<typeof makeAuthenticate>
