import { InvalidTokenError, UserNotFoundError } from '../../domain/errors.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import type { RevocationStore } from '../ports/shared-state/revocation-store.js'
import type { TokenClaims, TokenType } from '../ports/system/token-codec.js'
import type { Standing } from '../ports/records/account-repository.js'
import type { TokenService } from './token-service.js'

export interface AdmitTokenDeps { tokens: TokenService, revocations: RevocationStore }

export interface AdmittedToken<T> { claims: TokenClaims, userId: string, found: T }

/**
 * The one way a token of ours is let in (authentication and refresh both): signature and expiry,
 * then its revocation and its user's standing, read in parallel, then the caller's own refusals
 * of that standing (`refuse`), then whether the user signed out (or was rejected) at or after its
 * issue. The standing is read *after* the revocation check began
 * and is compared with the token's own issue instant, so a sign-out that commits at any point of
 * this refuses the token either through the cutoff read here or, if it lands later, through the
 * next admission: there is no order in which a token issued before a sign-out is let in after it.
 */
export const makeAdmitToken = ({ tokens, revocations }: AdmitTokenDeps) => {
  /** Admission of claims the caller has already read (signature, expiry, type) with `tokens.read`. */
  async function admitClaims<T extends Pick<Standing, 'tokensValidAfter'>> (
    claims: TokenClaims,
    lookup: (userId: string) => Promise<T | null>,
    refuse: (found: T) => void = () => {}
  ): Promise<AdmittedToken<T>> {
    const userId = fromShortUuid(claims.sub)
    if (userId === null) throw new InvalidTokenError()
    const [revoked, found] = await Promise.all([revocations.isRevoked(...tokens.revocableIds(claims)), lookup(userId)])
    if (revoked) throw new InvalidTokenError()
    if (found === null) throw new UserNotFoundError()
    // Before the cutoff: a rejection also ends sessions, and its member must hear why (1005).
    refuse(found)
    if (tokens.predatesSignOut(claims, found)) throw new InvalidTokenError()
    return { claims, userId, found }
  }

  async function admitToken<T extends Pick<Standing, 'tokensValidAfter'>> (
    token: string | null,
    typ: TokenType,
    lookup: (userId: string) => Promise<T | null>,
    refuse: (found: T) => void = () => {}
  ): Promise<AdmittedToken<T>> {
    if (token === null) throw new InvalidTokenError()
    return await admitClaims(tokens.read(token, typ), lookup, refuse)
  }

  return Object.assign(admitToken, { claims: admitClaims })
}

export type AdmitToken = ReturnType<typeof makeAdmitToken>
