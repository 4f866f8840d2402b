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
  /** How long after a rotation the spent refresh token still answers with the same successor pair. */
  reuseGraceSeconds: number
}

export interface TokenPair { access: string, refresh: string }

/** A pair before signing: what a rotation records so a concurrent refresh gets the same tokens. */
export interface PairClaims { access: TokenClaims, refresh: TokenClaims }

export interface TokenServiceDeps { codec: TokenCodec, clock: Clock, ids: IdGenerator, settings: TokenSettings }

/**
 * Builds and reads our tokens. `iat` keeps milliseconds (RFC 7519 allows fractional NumericDate)
 * so a sign-out at instant T refuses a token issued 1 ms earlier but not one issued 1 ms later.
 */
export const makeTokenService = ({ codec, clock, ids, settings }: TokenServiceDeps) => {
  const claimsFor = (sub: string, typ: TokenType, ttlSeconds: number, at: Date, fam?: string): TokenClaims => {
    const iat = at.getTime() / 1000
    return { sub, typ, jti: ids.newId(), iat, exp: Math.floor(iat) + ttlSeconds, ...(fam === undefined ? {} : { fam }) }
  }

  const refreshSideOf = (family: string): string => `${family}/refresh`

  return {
    /**
     * The issue instant for tokens about to be made. Take it *before* reading the user a token is
     * for: then a sign-out that commits after that read is later than the token, and ends it.
     */
    stamp (): Date { return clock.now() },

    issueAccess (sub: string, ttlSeconds = settings.accessTtlSeconds, at = clock.now()): string {
      return codec.sign(claimsFor(sub, 'access', ttlSeconds, at))
    },

    issueEmailAccess (sub: string, at = clock.now()): string {
      return codec.sign(claimsFor(sub, 'access', settings.emailAccessTtlSeconds, at))
    },

    /** A new access + refresh pair; `family` continues a rotation chain, absent starts one. */
    issuePair (sub: string, { family, at }: { family?: string, at?: Date } = {}): TokenPair {
      return this.signPair(this.pairClaims(sub, { family, at }))
    },

    /** The claims of a new pair; both tokens carry the family, so revoking it ends both. */
    pairClaims (sub: string, { family = ids.newId(), at = clock.now() }: { family?: string, at?: Date } = {}): PairClaims {
      return {
        access: claimsFor(sub, 'access', settings.accessTtlSeconds, at, family),
        refresh: claimsFor(sub, 'refresh', settings.refreshTtlSeconds, at, family)
      }
    },

    /** Signing is deterministic: the same claims always give the same tokens. */
    signPair (claims: PairClaims): TokenPair {
      return { access: codec.sign(claims.access), refresh: codec.sign(claims.refresh) }
    },

    /** Until when a family may hold a live token: its newest member expires no later. */
    familyExpiry (): Date {
      return new Date(clock.now().getTime() + (settings.refreshTtlSeconds + settings.leewaySeconds) * 1000)
    },

    /** The claims of a live token of the given type; an access token is never a refresh token. */
    read (token: string, typ: TokenType): TokenClaims {
      const claims = codec.decode(token)
      if (claims === null || claims.typ !== typ) throw new InvalidTokenError()
      if (clock.now().getTime() / 1000 >= claims.exp + settings.leewaySeconds) throw new TokenExpiredError()
      return claims
    },

    /** Until when the token could still be accepted (expiry plus the leeway). */
    expiryOf (claims: TokenClaims): Date { return new Date((claims.exp + settings.leewaySeconds) * 1000) },

    /**
     * Ids whose revocation ends this token: its own, its family's (reuse detection ends every token
     * of the family) and, for a refresh token, its family's refresh side (a seed 1 logout ends the
     * refresh tokens of that sign-in while its access token lives out its short life).
     */
    revocableIds (claims: TokenClaims): string[] {
      if (claims.fam === undefined) return [claims.jti]
      return claims.typ === 'refresh' ? [claims.jti, claims.fam, refreshSideOf(claims.fam)] : [claims.jti, claims.fam]
    },

    refreshSideOf,

    /** True when the user signed out everywhere (or was rejected) at or after the token's issue. */
    predatesSignOut (claims: TokenClaims, user: Pick<User, 'tokensValidAfter'>): boolean {
      // A token of the very millisecond of a sign-out is refused too: when in doubt, refuse.
      return user.tokensValidAfter !== null && claims.iat * 1000 <= user.tokensValidAfter.getTime()
    }
  }
}

export type TokenService = ReturnType<typeof makeTokenService>
