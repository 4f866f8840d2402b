export type TokenType = 'access' | 'refresh'

/** What a token says. Times are Unix seconds, as in JWT. */
export interface TokenClaims {
  sub: string
  typ: TokenType
  jti: string
  iat: number
  exp: number
  /** Phone-door pairs: the rotation family, shared by every token descended from one login. */
  fam?: string
  /** Not before (we never set it; a token that carries one is held to it). */
  nbf?: number
  /**
   * When the sign-in that began this token's session was made (OpenID Connect's `auth_time`):
   * a code or password login, a sign-up, a password change. A refresh carries it on unchanged,
   * since a refresh proves no one. Absent on tokens issued before it existed: never recent.
   */
  auth_time?: number
}

export interface TokenCodec {
  sign (claims: TokenClaims): string
  /**
   * Checks signature, algorithm, issuer, audience and shape, and returns the claims, or null for
   * anything forged, malformed or of another issuer. Times (exp, iat, nbf) are the caller's: it owns the clock.
   */
  decode (token: string): TokenClaims | null
}
