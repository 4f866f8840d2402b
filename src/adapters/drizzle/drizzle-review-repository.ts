import { and, asc, count, desc, eq, ilike, ne, or, sql, type SQL } from 'drizzle-orm'
import type { ReviewRepository, UserPage, UserSearch } from '../../application/ports/records/review-repository.js'
import type { Database } from './database.js'
import { users } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'
import { loadProfiles } from './drizzle-user-rows.js'

/** The member records staff review, on PostgreSQL or PGlite. */
export function createDrizzleReviewRepository (db: Database, options: GuardOptions = {}): ReviewRepository {
  const guarded = guardWith(options)
  const page = (where: SQL | undefined, order: SQL[], offset: number, limit: number) =>
    guarded(async (): Promise<UserPage> => {
      const [rows, [total]] = await Promise.all([
        db.select().from(users).where(where).orderBy(...order).offset(offset).limit(limit),
        db.select({ value: count() }).from(users).where(where)
      ])
      return { users: await loadProfiles(db, rows), total: Number(total?.value ?? 0) }
    })

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
          ...(endSessionsAt === undefined ? {} : { tokensValidAfter: endSessionsAt })
        }
        const updated = await db
          .update(users)
          .set(changes)
          .where(and(eq(users.id, id), eq(users.status, seen.status), seenStamp))
          .returning({ id: users.id })
        return updated.length > 0
      }),

    listByStatus: (status, offset, limit) =>
      page(
        status === null ? undefined : and(eq(users.status, status)),
        [desc(users.createdAt), desc(users.id)],
        offset,
        limit
      ),

    // No trigram index: the console searches a members table of this size by a plain ILIKE scan
    // in well under a request's time, and the review queue itself (status, oldest first) reads
    // users_status_created_idx.
    search: query =>
      page(
        searchCondition(query),
        query.order === 'oldest' ? [asc(users.createdAt), asc(users.id)] : [desc(users.createdAt), desc(users.id)],
        query.offset,
        query.limit
      ),

    // `=` never matches a null key, so members without one share it with nobody.
    findSharingUniqueKey: id =>
      guarded(async () => {
        const keyOf = db.select({ key: users.uniqueKey }).from(users).where(eq(users.id, id))
        return db
          .select({ id: users.id, username: users.username, status: users.status })
          .from(users)
          .where(and(eq(users.uniqueKey, sql`(${keyOf})`), ne(users.id, id)))
          .orderBy(asc(users.createdAt), asc(users.id))
      })
  }
}

function searchCondition (query: UserSearch): SQL | undefined {
  const conditions: Array<SQL | undefined> = []
  if (query.status !== null) conditions.push(eq(users.status, query.status))
  if (query.mobile !== null) conditions.push(eq(users.mobile, query.mobile))
  if (query.text !== null) {
    // Typed text, never a pattern: the escape character and the wildcards match themselves.
    const pattern = `%${query.text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    conditions.push(or(ilike(users.username, pattern), ilike(users.name, pattern), ilike(users.email, pattern)))
  }
  return and(...conditions)
}
