import type { DecisionState } from '../../domain/review-decision.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { Clock } from '../ports/system/clock.js'
import type { RecordDecision } from '../review/record-decision.js'

export interface EndSessionsDeps {
  accounts: Pick<AccountRepository, 'setTokensValidAfter'>
  /** The rejection's write (the status and the first cutoff together). */
  recordDecision: RecordDecision
  clock: Clock
  /** Forgets the member's listed sessions once the cutoff has ended their tokens. */
  forgetSessions: (userId: string) => Promise<void>
}

/**
 * Ends every token of a user issued so far, on every instance. A token carries an instant taken
 * before its issuer read the user's standing (TokenService.issuer), so an issuer that read the
 * standing just before the cutoff was written may still sign a token stamped after that cutoff. A
 * second cutoff, taken once the first is written and visible everywhere, is later than any such
 * token, and ends it too: both writes are made here, so no caller can forget the second.
 */
export const makeEndSessions = ({ accounts, recordDecision, clock, forgetSessions }: EndSessionsDeps) => {
  /** Answers the second cutoff, or null when the first write found no member. */
  async function twice (id: string, firstWrite: (cutoff: Date) => Promise<boolean>): Promise<Date | null> {
    if (!await firstWrite(clock.now())) return null
    const second = clock.now()
    await accounts.setTokensValidAfter(id, second)
    // The list follows the tokens, never leads them: forgotten only once they are ended.
    await forgetSessions(id)
    return second
  }

  return {
    /** Sign-out everywhere; answers the last cutoff written (a new token must be issued after it). */
    everywhere: async (id: string): Promise<Date> =>
      (await twice(id, async cutoff => {
        await accounts.setTokensValidAfter(id, cutoff)
        return true
      }))!,
    /**
     * Rejection: the status and the first cutoff in one write, never rejected with sessions open.
     * False: no such member.
     */
    reject: async (id: string, reason: string | null, expected?: DecisionState): Promise<boolean> =>
      (await twice(id, cutoff => recordDecision(id, 'rejected', reason, cutoff, expected))) !== null,
    /** A decision that ends the member's sessions with it (an undo back to pending or rejected). */
    decide: async (
      id: string,
      status: 'pending' | 'rejected',
      reason: string | null,
      expected: DecisionState
    ): Promise<boolean> => (await twice(id, cutoff => recordDecision(id, status, reason, cutoff, expected))) !== null
  }
}

export type EndSessions = ReturnType<typeof makeEndSessions>
