import { and, asc, count, desc, eq, gte, ilike, inArray, isNotNull, lt, ne, or, sql, type SQL } from 'drizzle-orm'
import {
  MAX_CARRIERS,
  type ReviewRepository,
  type SearchCounts,
  type SearchPage,
  type UserPage,
  type UserSearch
} from '../../application/ports/records/review-repository.js'
import { USER_STATUSES, type UserStatus } from '../../domain/user.js'
import type { Database } from './database.js'
import { memberIdentities, users } from './schema.js'
import { guardWith, slowReads, type GuardOptions, type SlowPool } from './translate-database-error.js'
import { laterCutoff, loadProfiles } from './drizzle-user-rows.js'

/**
 * The member records staff review, on PostgreSQL or PGlite. The console's search and its counts
 * read `slow` (the slow pool, perhaps a replica: see database-ports.ts); the rest, the primary.
 */
export function createDrizzleReviewRepository (
  db: Database,
  options: GuardOptions = {},
  slowPool?: SlowPool
): ReviewRepository {
  const guarded = guardWith(options)
  const slow = slowReads({ db, guarded }, options, slowPool)
  // Unguarded: each caller runs it inside the guard of the pool it reads.
  const page = async (on: Database, where: SQL | undefined, order: SQL[], offset: number, limit: number) => {
    const [rows, [total]] = await Promise.all([
      on.select().from(users).where(where).orderBy(...order).offset(offset).limit(limit),
      on.select({ value: count() }).from(users).where(where)
    ])
    return { users: await loadProfiles(on, rows), total: Number(total?.value ?? 0) } satisfies UserPage
  }

  return {
    // A compare-and-set: the row is written only if its decision is still the one the caller read,
    // so of two staff deciding at once the second finds the first's decision and decides again
    // from it (record-decision.ts). The drivers read a stamp to the millisecond, and a stamp
    // written by `now()` (an account approved at sign-up) has microseconds: compared truncated,
    // and kept as stored when the decision keeps it.
    storeDecision: (id, seen, decision, endSessionsAt) =>
      guarded(async () => {
        const seenStamp =
          seen.decidedAt === null
            ? sql`${users.decidedAt} is null`
            : sql`date_trunc('milliseconds', ${users.decidedAt}) = ${seen.decidedAt.toISOString()}::timestamptz`
        const keepsStamp = decision.decidedAt !== null && decision.decidedAt.getTime() === seen.decidedAt?.getTime()
        const changes = {
          status: decision.status,
          rejectionReason: decision.rejectionReason,
          decidedAt: keepsStamp ? sql`${users.decidedAt}` : decision.decidedAt,
          ...(endSessionsAt === undefined ? {} : { tokensValidAfter: laterCutoff(endSessionsAt) })
        }
        const updated = await db
          .update(users)
          .set(changes)
          .where(and(eq(users.id, id), eq(users.status, seen.status), seenStamp))
          .returning({ id: users.id })
        return updated.length > 0
      }),

    listByStatus: (status, offset, limit) =>
      guarded(() => page(
        db,
        status === null ? undefined : and(eq(users.status, status)),
        [desc(users.createdAt), desc(users.id)],
        offset,
        limit
      )),

    // No trigram index: the console searches a members table of this size by a plain ILIKE scan
    // in well under a request's time, and the review queue itself (status, oldest first) reads
    // users_status_created_idx. The other filters narrow that same walk (see docs/decisions.md,
    // "The queue for hundreds"); the duplicate test is one probe of users_unique_key_idx per row,
    // the identity test one probe of member_identities' primary key.
    search: query =>
      slow.guarded(async (): Promise<SearchPage> => {
        const found = await page(slow.db, searchCondition(query), orderOf(query), query.offset, query.limit)
        const ids = found.users.map(user => user.id)
        if (ids.length === 0) return { ...found, duplicateIds: [], confirmedIds: [] }
        const [shared, held] = await Promise.all([
          slow.db.select({ id: users.id }).from(users).where(and(inArray(users.id, ids), sharesKey)),
          slow.db
            .select({ id: memberIdentities.userId })
            .from(memberIdentities)
            .where(inArray(memberIdentities.userId, ids))
        ])
        const duplicates = new Set(shared.map(row => row.id))
        const confirmed = new Set(held.map(row => row.id))
        return {
          ...found,
          duplicateIds: ids.filter(id => duplicates.has(id)),
          confirmedIds: ids.filter(id => confirmed.has(id))
        }
      }),

    countSearch: query =>
      slow.guarded(async (): Promise<SearchCounts> => {
        const [byStatus, byCarrier] = await Promise.all([
          slow.db
            .select({ status: users.status, value: count() })
            .from(users)
            .where(searchCondition({ ...query, status: null }))
            .groupBy(users.status),
          slow.db
            .select({ carrier: users.carrier, value: count() })
            .from(users)
            .where(and(searchCondition({ ...query, carrier: null }), isNotNull(users.carrier)))
            .groupBy(users.carrier)
            .orderBy(desc(count()), sql`${users.carrier} collate "C"`)
            .limit(MAX_CARRIERS)
        ])
        const statuses = Object.fromEntries(USER_STATUSES.map(status => [status, 0])) as Record<UserStatus, number>
        for (const row of byStatus) statuses[row.status] = Number(row.value)
        return {
          statuses,
          carriers: byCarrier.map(row => ({ carrier: row.carrier ?? '', count: Number(row.value) }))
        }
      }),

    // `=` never matches a null key, so members without one share it with nobody.
    findSharingUniqueKey: id =>
      guarded(async () => {
        const keyOf = db.select({ key: users.uniqueKey }).from(users).where(eq(users.id, id))
        return db
          .select({ id: users.id, username: users.username, status: users.status, confirmed: confirmsKey })
          .from(users)
          .where(and(eq(users.uniqueKey, sql`(${keyOf})`), ne(users.id, id)))
          .orderBy(asc(users.createdAt), asc(users.id))
      })
  }
}

// Another account carries this row's key (`=` never matches a null key). Written against the
// table's own name, so the outer row is the one `users` names and the inner one is `other`.
const sharesKey = sql`exists (select 1 from "users" as "other" where "other"."unique_key" = "users"."unique_key"
  and "other"."id" <> "users"."id")`

// The member holds a confirmed identity (of any CI).
const holdsIdentity = sql`exists (select 1 from "member_identities" where "member_identities"."user_id" = "users"."id")`

// The provider confirmed the row's key: its confirmed CI is the key the account carries.
const confirmsKey = sql<boolean>`exists (select 1 from "member_identities" where
  "member_identities"."user_id" = "users"."id" and "member_identities"."ci" = "users"."unique_key")`

function orderOf (query: UserSearch): SQL[] {
  const signUp = [asc(users.createdAt), asc(users.id)]
  switch (query.order) {
    case 'oldest': return signUp
    case 'newest': return [desc(users.createdAt), desc(users.id)]
    case 'waiting': {
      const now = query.now === undefined ? sql`now()` : sql`${query.now.toISOString()}::timestamptz`
      return [sql`coalesce(${users.decidedAt}, ${now}) - ${users.createdAt} desc`, ...signUp]
    }
    // "C": code point order on every database, whatever collation it was created with.
    case 'name': return [sql`${users.name} collate "C" asc nulls last`, ...signUp]
  }
}

function searchCondition (query: UserSearch): SQL | undefined {
  const conditions: Array<SQL | undefined> = []
  if (query.status !== null) conditions.push(eq(users.status, query.status))
  if (query.mobile !== null) conditions.push(eq(users.mobile, query.mobile))
  if (query.signedUpFrom != null) conditions.push(gte(users.createdAt, query.signedUpFrom))
  if (query.signedUpBefore != null) conditions.push(lt(users.createdAt, query.signedUpBefore))
  if (query.foreigner != null) conditions.push(eq(users.foreigner, query.foreigner))
  if (query.carrier != null) conditions.push(eq(users.carrier, query.carrier))
  if (query.duplicate != null) conditions.push(query.duplicate ? sharesKey : sql`not ${sharesKey}`)
  if (query.identity != null) {
    conditions.push(query.identity === 'confirmed' ? holdsIdentity : sql`not ${holdsIdentity}`)
  }
  if (query.text !== null) {
    // Typed text, never a pattern: the escape character and the wildcards match themselves.
    const pattern = `%${query.text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    conditions.push(or(ilike(users.username, pattern), ilike(users.name, pattern), ilike(users.email, pattern)))
  }
  return and(...conditions)
}
