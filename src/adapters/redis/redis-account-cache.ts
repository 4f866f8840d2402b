import type { Redis } from 'ioredis'
import type { AccountCard, UserRepository } from '../../application/ports/user-repository.js'
import type { PhoneNumber, UserStatus } from '../../domain/user.js'
import { redisCall } from './redis-client.js'

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
 * The key is `account:` (the standing alone was `standing:`): during a rolling upgrade the two
 * kinds of instance never read each other's copies.
 */
export function withRedisAccountCache (users: UserRepository, redis: Redis): UserRepository {
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
    const card = await users.findCard(id)
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
    findById: id => users.findById(id),
    findProfileById: id => users.findProfileById(id),
    findByEmail: email => users.findByEmail(email),
    findByMobile: mobile => users.findByMobile(mobile),
    findProfileByMobile: mobile => users.findProfileByMobile(mobile),
    dueFileDeletions: (now, limit) => users.dueFileDeletions(now, limit),
    completeFileDeletion: key => users.completeFileDeletion(key),
    postponeFileDeletion: (key, notBefore) => users.postponeFileDeletion(key, notBefore),
    addPushToken: (userId, token) => users.addPushToken(userId, token),
    listPushTokens: userId => users.listPushTokens(userId),
    removePushToken: token => users.removePushToken(token),
    listByStatus: (status, offset, limit) => users.listByStatus(status, offset, limit),
    search: query => users.search(query),
    findSharingUniqueKey: id => users.findSharingUniqueKey(id),
    // Verification files are no part of a card: nothing to drop or rewrite.
    purgeVerificationFiles: id => users.purgeVerificationFiles(id),
    dueVerificationPurges: (decidedBefore, limit) => users.dueVerificationPurges(decidedBefore, limit),
    setLanguage: (id, language) => users.setLanguage(id, language),
    // None of these changes a card (a staged address is not the member's yet): nothing to drop.
    setPassword: (id, passwordHash) => users.setPassword(id, passwordHash),
    stageEmail: (id, email, passwordHash) => users.stageEmail(id, email, passwordHash),
    findPendingEmail: id => users.findPendingEmail(id),
    markEmailVerified: (id, at) => users.markEmailVerified(id, at),
    ping: () => users.ping(),

    async findCard (id) {
      const cached = await redisCall(() => redis.get(key(id)))
      if (cached !== null) return decode(cached)
      const card = await users.findCard(id)
      await redisCall(() => redis.set(key(id), encode(card), 'PX', CARD_TTL_MS, 'NX'))
      return card
    },
    async create (user) {
      const created = await users.create(user)
      // A new id: nothing to merge with (a lookup before it existed may have cached "gone").
      await redisCall(() => redis.set(key(user.id), encode(created), 'PX', CARD_TTL_MS))
      return created
    },
    setStatus: (id, status, reason, endSessionsAt) =>
      changing(id, () => users.setStatus(id, status, reason, endSessionsAt)),
    setTokensValidAfter: (id, instant) => changing(id, () => users.setTokensValidAfter(id, instant)),
    confirmEmail: (id, at) => changing(id, () => users.confirmEmail(id, at)),
    setMobile: (id, mobile) => changing(id, () => users.setMobile(id, mobile)),
    claimByEmail: (id, at) => changing(id, () => users.claimByEmail(id, at)),
    delete: id => changing(id, () => users.delete(id))
  }
}
