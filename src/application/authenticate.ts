import type { User } from '../domain/user.js'
import type { AdmitToken, AdmittedToken } from './admit-token.js'
import type { TokenClaims } from './ports/token-codec.js'
import type { Standing, UserRepository } from './ports/user-repository.js'

/** Who is calling: the user's id and standing (not the whole row: most routes need no more). */
export interface Principal { userId: string, standing: Standing, claims: TokenClaims }

export interface AuthenticateDeps { admitToken: AdmitToken, users: UserRepository }

/**
 * Turns a bearer access token from either door into its live user. `authenticate` reads the
 * standing (with Redis a cached copy: no database read); `authenticateAccount` reads the row, for
 * routes that show it anyway.
 */
export const makeAuthenticate = ({ admitToken, users }: AuthenticateDeps) => {
  const principalOf = ({ claims, userId, found }: AdmittedToken<Standing>): Principal =>
    ({ userId, standing: { status: found.status, tokensValidAfter: found.tokensValidAfter }, claims })

  return {
    authenticate: async (token: string | null): Promise<Principal> => principalOf(await admitToken(token, 'access', (id) => users.findStanding(id))),
    authenticateAccount: async (token: string | null): Promise<{ principal: Principal, user: User }> => {
      const admitted = await admitToken(token, 'access', (id) => users.findById(id))
      return { principal: principalOf(admitted), user: admitted.found }
    }
  }
}

export type Authenticate = ReturnType<typeof makeAuthenticate>['authenticate']
