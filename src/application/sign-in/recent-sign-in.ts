import { ReauthenticationRequiredError } from '../../domain/errors.js'
import type { Principal } from './authenticate.js'
import type { Clock } from '../ports/system/clock.js'

/**
 * How old the sign-in behind a token may be for the token alone to add or change a sign-in
 * method (an email, a number). A stolen access token lives 15 minutes and a refresh keeps the
 * sign-in's instant (`auth_time`), so the token of a sign-in made by someone else an hour ago
 * cannot swap the account's ways in, however fresh the token itself is.
 */
export const RECENT_SIGN_IN_MS = 10 * 60_000

/**
 * Whether the token's sign-in is less than RECENT_SIGN_IN_MS old; a token without `auth_time` (issued before it
 * existed) never is.
 */
export function signedInRecently (principal: Principal, clock: Clock): boolean {
  const authTime = principal.claims.auth_time
  return authTime !== undefined && clock.now().getTime() - authTime * 1000 < RECENT_SIGN_IN_MS
}

/**
 * Refuses (403 reauthentication_required) unless the token's sign-in is recent: the member signs in again (by a code or
 * their password) and retries.
 */
export function requireRecentSignIn (principal: Principal, clock: Clock): void {
  if (!signedInRecently(principal, clock)) throw new ReauthenticationRequiredError()
}
