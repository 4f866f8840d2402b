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

/**
 * The member's review state as a decision form carries it (`approved.1765000000000`, `pending.none`):
 * every decision changes the status or the stamp, so a form made before another decision carries
 * a version the member no longer has. Going back to the very state the form was made on (an undo
 * to pending) gives that version again: a decision made on it is then made on the state it saw.
 */
export function decisionVersion (state: DecisionState): string {
  return `${state.status}.${state.decidedAt === null ? 'none' : String(state.decidedAt.getTime())}`
}

const VERSION = /^(pending|approved|rejected)\.(none|\d{1,15})$/

/** The state a version names; null when the text is not a version. */
export function parseDecisionVersion (text: string): DecisionState | null {
  const match = VERSION.exec(text)
  if (match === null) return null
  const status = match[1] as UserStatus
  return { status, decidedAt: match[2] === 'none' ? null : new Date(Number(match[2])) }
}
