import { and, asc, gt, lt, sql } from 'drizzle-orm'
import type { FamilyRecord, RevocationLedger } from '../../application/ports/records/revocation-ledger.js'
import type { Database } from './database.js'
import { refreshFamilies, revocations } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

const FAMILIES_PER_STATEMENT = 1000

/** The durable token state on PostgreSQL or PGlite: rows that expire with their tokens. */
export function createDrizzleRevocationLedger (db: Database, options: GuardOptions = {}): RevocationLedger {
  const guarded = guardWith(options)
  return {
    // ON CONFLICT DO NOTHING: of callers racing with one id, exactly one inserts.
    revoke: (id, until) =>
      guarded(
        async () =>
          (await db.insert(revocations).values({ id, until }).onConflictDoNothing().returning({ id: revocations.id }))
            .length > 0
      ),

    recordFamilies: records =>
      guarded(async () => {
        const rows = dedupe(records)
        // A statement per thousand rows (four parameters each, far below PostgreSQL's 65,535); a row
        // keeps the later rotation whichever instance wrote last.
        for (let i = 0; i < rows.length; i += FAMILIES_PER_STATEMENT) {
          await db
            .insert(refreshFamilies)
            .values(rows.slice(i, i + FAMILIES_PER_STATEMENT))
            .onConflictDoUpdate({
              target: refreshFamilies.family,
              set: {
                currentJti: sql`excluded.current_jti`,
                rotatedAt: sql`excluded.rotated_at`,
                until: sql`excluded.until`
              },
              setWhere: sql`${refreshFamilies.rotatedAt} < excluded.rotated_at`
            })
        }
      }),

    eachRevocation: (now, size, page) =>
      inPages(
        size,
        page,
        row => row.id,
        after =>
          guarded(() =>
            db
              .select()
              .from(revocations)
              .where(and(gt(revocations.until, now), gt(revocations.id, after)))
              .orderBy(asc(revocations.id))
              .limit(size)
          )
      ),

    eachFamily: (now, size, page) =>
      inPages(
        size,
        page,
        row => row.family,
        after =>
          guarded(() =>
            db
              .select()
              .from(refreshFamilies)
              .where(and(gt(refreshFamilies.until, now), gt(refreshFamilies.family, after)))
              .orderBy(asc(refreshFamilies.family))
              .limit(size)
          )
      ),

    purge: now =>
      guarded(async () => {
        const [gone, done] = await Promise.all([
          db.delete(revocations).where(lt(revocations.until, now)).returning({ id: revocations.id }),
          db.delete(refreshFamilies).where(lt(refreshFamilies.until, now)).returning({ family: refreshFamilies.family })
        ])
        return gone.length + done.length
      })
  }
}

/**
 * Keyset pages: each read starts after the last key of the one before, so a rebuild of millions
 * of rows never holds them all nor rereads any.
 */
async function inPages<T> (
  size: number,
  page: (rows: T[]) => Promise<void>,
  keyOf: (row: T) => string,
  read: (after: string) => Promise<T[]>
): Promise<void> {
  for (let after = ''; ;) {
    const rows = await read(after)
    if (rows.length > 0) await page(rows)
    if (rows.length < size) return
    after = keyOf(rows[rows.length - 1]!)
  }
}

/** One row per family in a statement (PostgreSQL refuses to update a row twice): the latest rotation. */
function dedupe (records: FamilyRecord[]): FamilyRecord[] {
  const latest = new Map<string, FamilyRecord>()
  for (const record of records) {
    const seen = latest.get(record.family)
    if (seen === undefined || seen.rotatedAt < record.rotatedAt) latest.set(record.family, record)
  }
  return [...latest.values()]
}
