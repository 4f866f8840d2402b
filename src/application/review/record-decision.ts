import { decideStatus } from '../../domain/review-decision.js'
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
 */
export const makeRecordDecision = ({ accounts, review, clock }: RecordDecisionDeps) =>
  async function recordDecision (
    id: string,
    status: UserStatus,
    reason: string | null,
    endSessionsAt?: Date
  ): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await accounts.findById(id)
      if (current === null) return false
      const seen = { status: current.status, decidedAt: current.decidedAt }
      const decision = decideStatus(seen, status, reason, clock.now())
      if (await review.storeDecision(id, seen, decision, endSessionsAt)) return true
    }
    throw new Error(`the status of member ${id} changed on each of ${ATTEMPTS} tries to decide it`)
  }

export type RecordDecision = ReturnType<typeof makeRecordDecision>
