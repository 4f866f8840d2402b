import { StaleDecisionError } from '../../domain/errors.js'
import { decideStatus, sameDecisionState, type DecisionState } from '../../domain/review-decision.js'
import type { UserStatus } from '../../domain/user.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { Clock } from '../ports/system/clock.js'
import type { ReviewRepository } from '../ports/records/review-repository.js'

export interface RecordDecisionDeps {
  accounts: Pick<AccountRepository, 'findById'>
  review: Pick<ReviewRepository, 'storeDecision'>
  clock: Clock
}

/**
 * Reads, decides, stores: how often a decision is tried. The store refuses a write when another
 * decision landed between the read and the write (two staff on one member), and the next read sees
 * that decision, so the retry keeps its stamp. A refusal on the last try means the member's status
 * changed on every try, which a handful of staff cannot do; the caller then fails loudly rather
 * than guess.
 */
const ATTEMPTS = 3

/**
 * Sets a member's status (and rejection reason) by the rule in decideStatus and, with
 * `endSessionsAt`, their sign-out instant in the same write. False when there is no such member.
 *
 * With `expected` (the state a staff member's page showed), the decision is made on that state or
 * not at all: StaleDecisionError, nothing written, when the member's state is another by the read
 * or by the write (another decision came first). Without it (the JSON admin API as it always was),
 * the decision is made on whatever the member is.
 */
export const makeRecordDecision = ({ accounts, review, clock }: RecordDecisionDeps) =>
  async function recordDecision (
    id: string,
    status: UserStatus,
    reason: string | null,
    endSessionsAt?: Date,
    expected?: DecisionState
  ): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await accounts.findById(id)
      if (current === null) return false
      const seen = { status: current.status, decidedAt: current.decidedAt }
      if (expected !== undefined && !sameDecisionState(seen, expected)) throw new StaleDecisionError()
      const decision = decideStatus(seen, status, reason, clock.now())
      if (await review.storeDecision(id, seen, decision, endSessionsAt)) return true
    }
    throw new Error(`the status of member ${id} changed on each of ${ATTEMPTS} tries to decide it`)
  }

export type RecordDecision = ReturnType<typeof makeRecordDecision>
