/**
 * Sign in with Apple's token endpoints, with a client secret signed by the team's key: the
 * authorization code the app received is exchanged for a refresh token, which the service keeps
 * only to revoke it when the member deletes their account (App Store guideline 5.1.1(v)).
 */
export interface AppleTokens {
  /**
   * The refresh token for the code, asked as `clientId` (the app's bundle id: the ID token's
   * audience); null when Apple refuses the code (invalid_grant). Throws ProviderUnavailableError
   * when Apple does not answer within the deadline or fails.
   */
  exchange (authorizationCode: string, clientId: string): Promise<string | null>
  /**
   * Revokes the refresh token at Apple, as the client it was issued to. Throws
   * ProviderUnavailableError when Apple does not answer or refuses, so the caller retries.
   */
  revoke (refreshToken: string, clientId: string): Promise<void>
}
