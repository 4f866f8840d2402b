import type { AdmitToken, AdmittedToken } from '../sessions/admit-token.js'
import type { TokenClaims } from '../ports/system/token-codec.js'
import type { AccountCard, Standing, AccountRepository } from '../ports/records/account-repository.js'

/** Who is calling: the user's id and standing (not the whole row: most routes need no more). */
export interface Principal { userId: string, standing: Standing, claims: TokenClaims }

export interface AuthenticateDeps { admitToken: AdmitToken, accounts: AccountRepository }

/**
 * Turns a bearer access token from either door into its live user, reading the user's account
 * card (with Redis a cached copy: no database read). `authenticateAccount` answers the card too,
 * for `GET /auth/me`, which shows it.
 */
export const makeAuthenticate = ({ admitToken, accounts }: AuthenticateDeps) => {
  const principalOf = ({ claims, userId, found }: AdmittedToken<Standing>): Principal =>
    ({ userId, standing: { status: found.status, tokensValidAfter: found.tokensValidAfter }, claims })
  const admit = (token: string | null) => admitToken(token, 'access', (id) => accounts.findCard(id))

  return {
    authenticate: async (token: string | null): Promise<Principal> => principalOf(await admit(token)),
    authenticateAccount: async (token: string | null): Promise<{ principal: Principal, account: AccountCard }> => {
      const admitted = await admit(token)
      return { principal: principalOf(admitted), account: admitted.found }
    }
  }
}

export type Authenticate = ReturnType<typeof makeAuthenticate>['authenticate']
