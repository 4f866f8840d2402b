import type { User, UserStatus } from './user.js'

/** The part of a member's record a review decision reads and writes. */
export type DecisionState = Pick<User, 'status' | 'decidedAt'>

/** What a decision leaves on the member's record. */
export interface Decision extends DecisionState {
  rejectionReason: string | null
}

/**
 * The record after staff set a member's status to `status` at `at`, from the record as it is
 * (`current`). `decidedAt` is stamped when the status becomes approved or rejected; a repeated
 * decision (approved again, rejected again) keeps the first stamp, since the verification files'
 * retention counts from it and a second click must not extend it; going back to pending clears it.
 * The reason is the new one, whatever the old one was (null: none).
 */
export function decideStatus (current: DecisionState, status: UserStatus, reason: string | null, at: Date): Decision {
  const decidedAt =
    status === 'pending'
      ? null
      : current.status === status && current.decidedAt !== null
        ? current.decidedAt
        : at
  return { status, rejectionReason: reason, decidedAt }
}

/** Whether two records hold the same decision state (the same status and the same stamp, to the millisecond). */
export function sameDecisionState (a: DecisionState, b: DecisionState): boolean {
  return a.status === b.status && (a.decidedAt?.getTime() ?? null) === (b.decidedAt?.getTime() ?? null)
}
