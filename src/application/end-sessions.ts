import type { Clock } from './ports/clock.js'
import type { UserRepository } from './ports/user-repository.js'

export interface EndSessionsDeps { users: UserRepository, clock: Clock }

/**
 * Ends every token of a user issued so far, on every instance. A token carries an instant taken
 * before its issuer read the user's standing (TokenService.stamp), so an issuer that read the
 * standing just before the cutoff was written may still sign a token stamped after that cutoff. A
 * second cutoff, taken once the first is written and visible everywhere, is later than any such
 * token, and ends it too. `firstWrite` lets a caller set the first cutoff with other changes in the
 * same write (a rejection sets the status with it).
 */
export const makeEndSessions = ({ users, clock }: EndSessionsDeps) =>
  async function endSessions (id: string, firstWrite: (cutoff: Date) => Promise<unknown> = (cutoff) => users.setTokensValidAfter(id, cutoff)): Promise<void> {
    await firstWrite(clock.now())
    await users.setTokensValidAfter(id, clock.now())
  }

export type EndSessions = ReturnType<typeof makeEndSessions>
