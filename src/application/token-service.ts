import { InvalidTokenError, TokenExpiredError } from '../domain/errors.js'
import type { User } from '../domain/user.js'
import type { Clock } from './ports/clock.js'
import type { IdGenerator } from './ports/id-generator.js'
import type { TokenClaims, TokenCodec, TokenType } from './ports/token-codec.js'

export interface TokenSettings {
  accessTtlSeconds: number
  refreshTtlSeconds: number
  emailAccessTtlSeconds: number
  /** Tolerated clock skew between instances when checking expiry. */
  leewaySeconds: number
}

export interface TokenPair { access: string, refresh: string, refreshClaims: TokenClaims }

export interface TokenServiceDeps { codec: TokenCodec, clock: Clock, ids: IdGenerator, settings: TokenSettings }

/**
 * Builds and reads our tokens. `iat` keeps milliseconds (RFC 7519 allows fractional NumericDate)
 * so a sign-out at instant T refuses a token issued 1 ms earlier but not one issued 1 ms later.
 */
export const makeTokenService = ({ codec, clock, ids, settings }: TokenServiceDeps) => {
  const claimsFor = (sub: string, typ: TokenType, ttlSeconds: number, fam?: string): TokenClaims => {
    const iat = clock.now().getTime() / 1000
    return { sub, typ, jti: ids.newId(), iat, exp: Math.floor(iat) + ttlSeconds, ...(fam === undefined ? {} : { fam }) }
  }

  return {
    issueAccess (sub: string, ttlSeconds = settings.accessTtlSeconds): string {
      return codec.sign(claimsFor(sub, 'access', ttlSeconds))
    },

    issueEmailAccess (sub: string): string {
      return codec.sign(claimsFor(sub, 'access', settings.emailAccessTtlSeconds))
    },

    /** A new access + refresh pair; `family` continues a rotation chain, absent starts one. */
    issuePair (sub: string, family: string = ids.newId()): TokenPair {
      const refreshClaims = claimsFor(sub, 'refresh', settings.refreshTtlSeconds, family)
      return { access: this.issueAccess(sub), refresh: codec.sign(refreshClaims), refreshClaims }
    },

    /** The claims of a live token of the given type; an access token is never a refresh token. */
    read (token: string, typ: TokenType): TokenClaims {
      const claims = codec.decode(token)
      if (claims === null || claims.typ !== typ) throw new InvalidTokenError()
      if (clock.now().getTime() / 1000 >= claims.exp + settings.leewaySeconds) throw new TokenExpiredError()
      return claims
    },

    expiryOf (claims: TokenClaims): Date { return new Date(claims.exp * 1000) },

    /** True when the user signed out everywhere (or was rejected) at or after the token's issue. */
    predatesSignOut (claims: TokenClaims, user: Pick<User, 'tokensValidAfter'>): boolean {
      // A token of the very millisecond of a sign-out is refused too: when in doubt, refuse.
      return user.tokensValidAfter !== null && claims.iat * 1000 <= user.tokensValidAfter.getTime()
    }
  }
}

export type TokenService = ReturnType<typeof makeTokenService>
