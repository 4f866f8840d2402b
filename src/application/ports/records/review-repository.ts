import type { Decision, DecisionState } from '../../../domain/review-decision.js'
import type { PhoneNumber, UserStatus, UserWithProfile } from '../../../domain/user.js'

export interface UserPage { users: UserWithProfile[], total: number }

/** The review console's search: every given criterion must match. */
export interface UserSearch {
  status: UserStatus | null
  /**
   * A case-insensitive substring of the username, the name or the email; wildcards in it are
   * plain characters.
   */
  text: string | null
  /** Exactly this number (already parsed by the PhoneParser port). */
  mobile: PhoneNumber | null
  /** `oldest`: sign-up order (the review queue); `newest`: latest sign-up first. */
  order: 'oldest' | 'newest'
  offset: number
  limit: number
}

/** Another account of the same person, as its identity verification tells: enough to link to it. */
export interface SharedKeyHolder { id: string, username: string | null, status: UserStatus }

/** The member records staff review: the decisions, the queue and its search, the duplicates. */
export interface ReviewRepository {
  /**
   * Stores a decision made by `decideStatus` (src/domain/review-decision.ts) and, with
   * `endSessionsAt`, the sign-out instant in the same write, only while the member's status and
   * `decidedAt` are still `seen` (what the decision was made from; the stamp compared to the
   * millisecond). False, writing nothing, when there is no such member or another decision came
   * first: the caller reads the member again and decides again, so no first stamp is lost.
   */
  storeDecision(id: string, seen: DecisionState, decision: Decision, endSessionsAt?: Date): Promise<boolean>
  /** Newest first. */
  listByStatus(status: UserStatus | null, offset: number, limit: number): Promise<UserPage>
  /** One page of the members matching the query, with their profiles, and how many match in all. */
  search(query: UserSearch): Promise<UserPage>
  /**
   * The other accounts carrying this member's `uniqueKey` (one person behind several accounts),
   * oldest first; none when the member has no key or does not exist.
   */
  findSharingUniqueKey(id: string): Promise<SharedKeyHolder[]>
}
