import type { AccountCard, AccountRepository } from '../../application/ports/records/account-repository.js'
import type { EmailChangeRepository } from '../../application/ports/records/email-change-repository.js'
import type { ReviewRepository } from '../../application/ports/records/review-repository.js'
import type { PhoneNumber, UserStatus } from '../../domain/user.js'
import { redisCall, type RedisClient } from './redis-client.js'

/** How long a copy lives without a write: it bounds what a lost cache write could leave stale. */
export const CARD_TTL_MS = 60_000

const GONE = 'gone'

// A writer's copy never moves the sign-out instant back and never revives a deleted user, even
// when two writers' copies arrive in the other order than their commits.
const MERGE = `
local old = redis.call('GET', KEYS[1])
local new = ARGV[1]
if old == '${GONE}' then
  new = old
elseif old and new ~= '${GONE}' then
  local o = cjson.decode(old)
  local n = cjson.decode(new)
  if o.v ~= cjson.null and (n.v == cjson.null or o.v > n.v) then
    n.v = o.v
    new = cjson.encode(n)
  end
end
redis.call('SET', KEYS[1], new, 'PX', ARGV[2])
return 1`

/** The stores whose writes change a card: the account's own, an address change, a decision. */
export interface CardStores {
  accounts: AccountRepository
  emailChanges: EmailChangeRepository
  review: ReviewRepository
}

/**
 * Each user's account card (the standing: status and sign-out instant; and the public fields
 * `GET /auth/me` shows) copied into Redis, so authenticating, refreshing and `/auth/me`, the
 * hottest routes, read no database row. PostgreSQL stays the source of truth:
 * - a miss reads it and fills the copy only if no writer got there first (SET NX);
 * - a change drops the copy first (if Redis is away, the change fails before it is made), commits,
 *   then writes the copy read back from the database (merged, see MERGE), on whichever instance
 *   made the change, so every instance sees it at once. Should that last write be lost, the copy
 *   is absent (refilled from the database) or at worst CARD_TTL_MS old. Only the cutoff is
 *   merged; the address and number of two changes racing may be the older ones for that long.
 * A card is changed through three ports (the account's own writes, a confirmed or claimed
 * address, a review decision), so the decorator wraps the three; the other member stores hold
 * nothing a card shows.
 * The key is `account:` (the standing alone was `standing:`): during a rolling upgrade the two
 * kinds of instance never read each other's copies.
 */
export function withRedisAccountCache ({ accounts, emailChanges, review }: CardStores, redis: RedisClient): CardStores {
  const key = (id: string) => `account:${id}`
  const encode = (card: AccountCard | null) =>
    card === null
      ? GONE
      : JSON.stringify({
        s: card.status,
        v: card.tokensValidAfter?.getTime() ?? null,
        e: card.email,
        m: card.mobile,
        c: card.createdAt.getTime()
      })
  const decode = (text: string): AccountCard | null => {
    if (text === GONE) return null
    const { s, v, e, m, c } = JSON.parse(text) as {
      s: UserStatus
      v: number | null
      e: string | null
      m: PhoneNumber | null
      c: number
    }
    return { status: s, tokensValidAfter: v === null ? null : new Date(v), email: e, mobile: m, createdAt: new Date(c) }
  }
  const drop = (id: string) => redisCall(() => redis.del(key(id)))
  const rewrite = async (id: string): Promise<void> => {
    const card = await accounts.findCard(id)
    await redisCall(() => redis.eval(MERGE, 1, key(id), encode(card), String(CARD_TTL_MS)))
  }
  /** Drop, change, rewrite: the order every change of a card follows. */
  const changing = async <T> (id: string, change: () => Promise<T>): Promise<T> => {
    await drop(id)
    const result = await change()
    await rewrite(id)
    return result
  }

  return {
    accounts: {
      findById: id => accounts.findById(id),
      findProfileById: id => accounts.findProfileById(id),
      findByEmail: email => accounts.findByEmail(email),
      findByMobile: mobile => accounts.findByMobile(mobile),
      findProfileByMobile: mobile => accounts.findProfileByMobile(mobile),
      setLanguage: (id, language) => accounts.setLanguage(id, language),
      // A password is no part of a card: nothing to drop.
      setPassword: (id, passwordHash) => accounts.setPassword(id, passwordHash),
      ping: () => accounts.ping(),

      async findCard (id) {
        const cached = await redisCall(() => redis.get(key(id)))
        if (cached !== null) return decode(cached)
        const card = await accounts.findCard(id)
        await redisCall(() => redis.set(key(id), encode(card), 'PX', CARD_TTL_MS, 'NX'))
        return card
      },
      async create (user) {
        const created = await accounts.create(user)
        // A new id: nothing to merge with (a lookup before it existed may have cached "gone").
        await redisCall(() => redis.set(key(user.id), encode(created), 'PX', CARD_TTL_MS))
        return created
      },
      setTokensValidAfter: (id, instant) => changing(id, () => accounts.setTokensValidAfter(id, instant)),
      setMobile: (id, mobile) => changing(id, () => accounts.setMobile(id, mobile)),
      delete: id => changing(id, () => accounts.delete(id))
    },
    emailChanges: {
      // A staged address is not the member's yet, and a proof changes no field of the card.
      stageEmail: (id, email, passwordHash) => emailChanges.stageEmail(id, email, passwordHash),
      findPendingEmail: id => emailChanges.findPendingEmail(id),
      markEmailVerified: (id, at) => emailChanges.markEmailVerified(id, at),
      confirmEmail: (id, at) => changing(id, () => emailChanges.confirmEmail(id, at)),
      claimByEmail: (id, at) => changing(id, () => emailChanges.claimByEmail(id, at))
    },
    review: {
      listByStatus: (status, offset, limit) => review.listByStatus(status, offset, limit),
      search: query => review.search(query),
      countSearch: query => review.countSearch(query),
      findSharingUniqueKey: id => review.findSharingUniqueKey(id),
      storeDecision: (id, seen, decision, endSessionsAt) =>
        changing(id, () => review.storeDecision(id, seen, decision, endSessionsAt))
    }
  }
}
