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
  /**
   * `oldest`: sign-up order (the review queue); `newest`: latest sign-up first; `waiting`: longest
   * wait first (from sign-up to the decision, or to `now` while pending); `name`: by name in code
   * point order (Hangul in 가나다 order), members without one last. Ties: sign-up order, then id.
   */
  order: UserSearchOrder
  /** Signed up at or after this instant. */
  signedUpFrom?: Date | null
  /** Signed up before this instant. */
  signedUpBefore?: Date | null
  /** true: only members whose `uniqueKey` another account carries; false: only those no other account shares. */
  duplicate?: boolean | null
  foreigner?: boolean | null
  /** `confirmed`: only members holding an identity the provider confirmed; `unconfirmed`: only the others. */
  identity?: 'confirmed' | 'unconfirmed' | null
  /** Exactly this carrier, as the phone app sent it. */
  carrier?: string | null
  /** The instant a pending member's wait is measured to (`waiting`); absent, the store's own clock. */
  now?: Date
  offset: number
  limit: number
}

export const USER_SEARCH_ORDERS = ['oldest', 'newest', 'waiting', 'name'] as const
export type UserSearchOrder = (typeof USER_SEARCH_ORDERS)[number]

/** A page of the search, and which of its members share their `uniqueKey` with another account. */
export interface SearchPage extends UserPage {
  duplicateIds: string[]
  /** The members of the page who hold an identity the provider confirmed. */
  confirmedIds: string[]
}

/** How many members a search's criteria match under each status and each carrier. */
export interface SearchCounts {
  /** Every criterion but the status. */
  statuses: Record<UserStatus, number>
  /**
   * Every criterion but the carrier, most members first (then by name), at most `MAX_CARRIERS`;
   * members without a carrier aside.
   */
  carriers: Array<{ carrier: string, count: number }>
}

export const MAX_CARRIERS = 30

/** Another account of the same person, as its identity verification tells: enough to link to it. */
export interface SharedKeyHolder {
  id: string
  username: string | null
  status: UserStatus
  /** The provider confirmed this holder's key (else the app only claimed it). */
  confirmed: boolean
}

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
  search(query: UserSearch): Promise<SearchPage>
  /** The counts beside a search: what each status and each carrier choice would find. */
  countSearch(query: UserSearch): Promise<SearchCounts>
  /**
   * The other accounts carrying this member's `uniqueKey` (one person behind several accounts),
   * oldest first; none when the member has no key or does not exist.
   */
  findSharingUniqueKey(id: string): Promise<SharedKeyHolder[]>
}
