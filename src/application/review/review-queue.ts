import { optionalText } from '../../domain/text-field.js'
import type { PhoneNumber, UserStatus } from '../../domain/user.js'
import type {
  ReviewRepository,
  SearchCounts,
  UserSearch,
  UserSearchOrder
} from '../ports/records/review-repository.js'
import type { Clock } from '../ports/system/clock.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'

export interface QueueSearchDeps {
  review: Pick<ReviewRepository, 'search' | 'countSearch'>
  phones: Pick<PhoneParser, 'parse' | 'display'>
  clock: Clock
}

/** The page sizes a reviewer may choose; the first page a queue opens on has the default. */
export const QUEUE_PAGE_SIZES = [10, 25, 50, 100] as const
export type QueuePageSize = (typeof QUEUE_PAGE_SIZES)[number]
export const DEFAULT_QUEUE_PAGE_SIZE: QueuePageSize = 25
const MAX_SEARCH_LENGTH = 100

export interface QueueFilters {
  /** null: every status. */
  status: UserStatus | null
  /** A mobile number typed any way, or part of a username, name or email. */
  search: string | null
  /** Signed up at or after. */
  signedUpFrom: Date | null
  /** Signed up before. */
  signedUpBefore: Date | null
  duplicate: boolean | null
  foreigner: boolean | null
  carrier: string | null
  /** `confirmed`: only members holding an identity the provider confirmed; `unconfirmed`: the others; absent: all. */
  identity?: 'confirmed' | 'unconfirmed' | null
  /** null: the status's own order (pending oldest first, the others newest first). */
  order: UserSearchOrder | null
  /** From 1. */
  page: number
  pageSize: QueuePageSize
}

/** One member as a row of the queue. */
export interface QueueEntry {
  id: string
  username: string | null
  name: string | null
  /** As people write it (PhoneParser.display). */
  mobile: string | null
  email: string | null
  status: UserStatus
  createdAt: Date
  decidedAt: Date | null
  /** From sign-up to the decision, or to now while pending. */
  waitedMs: number
  /** Another account carries the member's identity-verification key. */
  duplicate: boolean
  /** The member holds an identity the provider (PortOne) confirmed, not only what the app claimed. */
  confirmed: boolean
  foreigner: boolean | null
  carrier: string | null
  avatarKey: string | null
}

export interface ReviewQueuePage {
  entries: QueueEntry[]
  /** How many members match every filter. */
  total: number
  /** What each status and each carrier choice would find with the other filters kept. */
  counts: SearchCounts
  /** The order used (the status's own when none was asked). */
  order: UserSearchOrder
  /** How the search text was read: as a mobile number, as text, or there was none. */
  searchedBy: 'mobile' | 'text' | null
}

// Only digits and the separators people type in a number: a username or email that happens to
// contain a number stays a text search.
const PHONE_LIKE = /^\+?[\d\s().-]+$/

/**
 * The console's queue: every filter at once, an order, one page, and the counts beside it. A
 * pending member's wait is their time since sign-up, so "longest waiting" among the pending is
 * sign-up order, which the status-and-sign-up index serves.
 */
export const makeQueueSearch = ({ review, phones, clock }: QueueSearchDeps) =>
  async function queueSearch (filters: QueueFilters): Promise<ReviewQueuePage> {
    const now = clock.now()
    const search = optionalText(filters.search, 'search', MAX_SEARCH_LENGTH)
    const mobile = search !== null && PHONE_LIKE.test(search) ? phones.parse(search) : null
    const asked = filters.order ?? (filters.status === 'pending' ? 'oldest' : 'newest')
    const order = asked === 'waiting' && filters.status === 'pending' ? 'oldest' : asked
    const query: UserSearch = {
      status: filters.status,
      text: mobile === null ? search : null,
      mobile,
      order,
      signedUpFrom: filters.signedUpFrom,
      signedUpBefore: filters.signedUpBefore,
      duplicate: filters.duplicate,
      foreigner: filters.foreigner,
      carrier: filters.carrier,
      identity: filters.identity ?? null,
      now,
      offset: (Math.max(1, Math.floor(filters.page)) - 1) * filters.pageSize,
      limit: filters.pageSize
    }
    const [found, counts] = await Promise.all([review.search(query), review.countSearch(query)])
    const duplicates = new Set(found.duplicateIds)
    const confirmed = new Set(found.confirmedIds)
    return {
      entries: found.users.map(user => ({
        id: user.id,
        username: user.profile?.username ?? null,
        name: user.profile?.name ?? null,
        mobile: user.mobile === null ? null : phones.display(user.mobile as PhoneNumber),
        email: user.email,
        status: user.status,
        createdAt: user.createdAt,
        decidedAt: user.decidedAt,
        waitedMs: Math.max(0, (user.decidedAt ?? now).getTime() - user.createdAt.getTime()),
        duplicate: duplicates.has(user.id),
        confirmed: confirmed.has(user.id),
        foreigner: user.profile?.foreigner ?? null,
        carrier: user.profile?.carrier ?? null,
        avatarKey: user.profile?.avatarKey ?? null
      })),
      total: found.total,
      counts,
      order: asked,
      searchedBy: search === null ? null : mobile === null ? 'text' : 'mobile'
    }
  }

export type QueueSearch = ReturnType<typeof makeQueueSearch>
