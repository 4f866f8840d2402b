import { InvalidTokenError, TokenExpiredError } from '../../domain/errors.js'
import type { User } from '../../domain/user.js'
import type { Clock } from '../ports/system/clock.js'
import type { IdGenerator } from '../ports/system/id-generator.js'
import type { TokenClaims, TokenCodec, TokenType } from '../ports/system/token-codec.js'

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

declare const STAMPED: unique symbol
/** What a token is for, read after the token's issue instant (only a TokenIssuer makes one). */
export type Stamped<T> = T & { readonly [STAMPED]: true }

/**
 * Issues tokens stamped with one instant, taken when the issuer is made: *before* reading the
 * user the tokens are for. Then a sign-out (or rejection) that commits after that read is later
 * than the tokens, and ends them; one that committed before it is seen by the read. Tokens are
 * issued only for what this issuer read, so a use-case cannot read first and stamp afterwards:
 * a plain user is a type error, and an object another issuer read is refused at run time.
 */
export interface TokenIssuer {
  readonly at: Date
  /** Reads (or creates) what the tokens will be for. */
  read<T extends object>(lookup: () => Promise<T>): Promise<Stamped<T>>
  read<T extends object>(lookup: () => Promise<T | null>): Promise<Stamped<T> | null>
  /**
   * A new access + refresh pair for a sign-in made now: `auth_time` is the issuer's instant.
   * `family`: the sign-in's session id (absent: a new one).
   */
  pair(subject: Stamped<object>, sub: string, family?: string): TokenPair
  /**
   * The claims of a pair that continues a sign-in (what a rotation records); both tokens carry
   * the family and the sign-in's `authTime`, the predecessor's, unchanged: a refresh is not a
   * sign-in. Required, though it may be undefined (a token from before the claim), so no caller
   * can forget to carry it. Dated at the issuer's instant, so they may be made before the subject
   * is read (a refresh records them in the same round trip as its reads); they become tokens only
   * through `signPair`, with the subject this issuer read.
   */
  pairClaims(sub: string, family: string, authTime: number | undefined): PairClaims
  /** Signs a continuation's claims (this issuer's, or the ones a concurrent rotation recorded) for what it read. */
  signPair(subject: Stamped<object>, claims: PairClaims): TokenPair
  /**
   * The email door's long-lived access token for a sign-in made now; `session`: the sign-in it belongs to (its `fam`).
   */
  emailAccess(subject: Stamped<object>, sub: string, session?: string): string
}

/**
 * Builds and reads our tokens. `iat` keeps milliseconds (RFC 7519 allows fractional NumericDate)
 * so a sign-out at instant T refuses a token issued 1 ms earlier but not one issued 1 ms later.
 */
export const makeTokenService = ({ codec, clock, ids, settings }: TokenServiceDeps) => {
  const claimsFor = (
    sub: string,
    typ: TokenType,
    ttlSeconds: number,
    at: Date,
    fam: string | undefined,
    authTime: number | undefined
  ): TokenClaims => {
    const iat = at.getTime() / 1000
    return {
      sub,
      typ,
      jti: ids.newId(),
      iat,
      exp: Math.floor(iat) + ttlSeconds,
      ...(fam === undefined ? {} : { fam }),
      ...(authTime === undefined ? {} : { auth_time: authTime })
    }
  }
  /** Signing is deterministic (the codec's contract): the same claims always give the same tokens. */
  const signPair = (claims: PairClaims): TokenPair => ({
    access: codec.sign(claims.access),
    refresh: codec.sign(claims.refresh)
  })
  const refreshSideOf = (family: string): string => `${family}/refresh`

  return {
    /**
     * `after`: a sign-out cutoff the caller just wrote (a password change that ends every earlier
     * token but hands out a new one): the issuer's instant is then at least 1 ms past it, since a
     * token of the cutoff's own millisecond is refused. On a real clock the writes in between take
     * longer than that; should they not, the token is dated 1 ms ahead and, with TOKEN_LEEWAY=0
     * alone, is refused until that millisecond has passed.
     */
    issuer (options: { after?: Date } = {}): TokenIssuer {
      const at = new Date(Math.max(clock.now().getTime(), (options.after?.getTime() ?? -Infinity) + 1))
      // Whole seconds, as OpenID Connect has it; rounding down makes a sign-in look older, never fresher.
      const signedInAt = Math.floor(at.getTime() / 1000)
      const read = new WeakSet<object>()
      const proven = (subject: object): void => {
        if (!read.has(subject)) throw new Error('tokens are issued only for what their issuer read after its instant')
      }
      const pairClaims = (sub: string, family: string, authTime: number | undefined): PairClaims => ({
        access: claimsFor(sub, 'access', settings.accessTtlSeconds, at, family, authTime),
        refresh: claimsFor(sub, 'refresh', settings.refreshTtlSeconds, at, family, authTime)
      })
      return {
        at,
        read: async <T extends object>(lookup: () => Promise<T | null>): Promise<Stamped<T> | null> => {
          const found = await lookup()
          if (found !== null) read.add(found)
          return found as Stamped<T> | null
        },
        pair (subject, sub, family = ids.newId()) {
          proven(subject)
          return signPair(pairClaims(sub, family, signedInAt))
        },
        pairClaims,
        signPair (subject, claims) {
          proven(subject)
          return signPair(claims)
        },
        emailAccess (subject, sub, session) {
          proven(subject)
          return codec.sign(claimsFor(sub, 'access', settings.emailAccessTtlSeconds, at, session, signedInAt))
        }
      }
    },

    /** Until when a family may hold a live token: its newest member expires no later. */
    familyExpiry (): Date {
      return new Date(clock.now().getTime() + (settings.refreshTtlSeconds + settings.leewaySeconds) * 1000)
    },

    /**
     * The claims of a live token of the given type; an access token is never a refresh token. A
     * token dated beyond the leeway in the future (`iat` or `nbf`) is invalid: no instance issues
     * one, so it was signed on a clock far off or with a stolen key, and a future `iat` would
     * outlive every sign-out cutoff taken before it. `iat` keeps its milliseconds here too.
     */
    read (token: string, typ: TokenType): TokenClaims {
      const claims = codec.decode(token)
      if (claims === null || claims.typ !== typ) throw new InvalidTokenError()
      const now = clock.now().getTime() / 1000
      if (claims.iat > now + settings.leewaySeconds || (claims.nbf ?? 0) > now + settings.leewaySeconds) {
        throw new InvalidTokenError()
      }
      if (now >= claims.exp + settings.leewaySeconds) throw new TokenExpiredError()
      return claims
    },

    /** Until when the token could still be accepted (expiry plus the leeway). */
    expiryOf (claims: TokenClaims): Date { return new Date((claims.exp + settings.leewaySeconds) * 1000) },

    /**
     * Ids whose revocation ends this token: its own, its family's (reuse detection ends every token
     * of the family) and, for a refresh token, its family's refresh side (a phone-door logout ends the
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
