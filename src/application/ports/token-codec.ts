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
}

export interface TokenCodec {
  sign (claims: TokenClaims): string
  /**
   * Checks signature, algorithm, issuer, audience and shape, and returns the claims, or null for
   * anything forged, malformed or of another issuer. Expiry is the caller's (it owns the clock).
   */
  decode (token: string): TokenClaims | null
}
