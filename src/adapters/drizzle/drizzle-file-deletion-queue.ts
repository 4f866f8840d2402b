import { and, asc, eq, exists, inArray, lt, lte, sql } from 'drizzle-orm'
import type { FileDeletionQueue } from '../../application/ports/records/file-deletion-queue.js'
import type { Database } from './database.js'
import { fileDeletions, users, verificationFiles } from './schema.js'
import { guardWith, slowReads, type GuardOptions, type SlowPool } from './translate-database-error.js'
import { queueFileDeletions } from './drizzle-user-rows.js'

/**
 * The stored files waiting for deletion, on PostgreSQL or PGlite (the file_deletions table). The
 * sweepers' scans for due work read `slow` (the slow pool, perhaps a replica: database-ports.ts,
 * for what its lag means here); each removal is then done on the primary.
 */
export function createDrizzleFileDeletionQueue (
  db: Database,
  options: GuardOptions = {},
  slowPool?: SlowPool
): FileDeletionQueue {
  const guarded = guardWith(options)
  const slow = slowReads({ db, guarded }, options, slowPool)

  return {
    dueFileDeletions: (now, limit) =>
      slow.guarded(async () => {
        const rows = await slow.db
          .select({ key: fileDeletions.key })
          .from(fileDeletions)
          .where(lte(fileDeletions.notBefore, now))
          .orderBy(asc(fileDeletions.notBefore), asc(fileDeletions.key))
          .limit(limit)
        return rows.map(row => row.key)
      }),

    completeFileDeletion: key =>
      guarded(async () => {
        await db.delete(fileDeletions).where(eq(fileDeletions.key, key))
      }),

    postponeFileDeletion: (key, notBefore) =>
      guarded(async () => {
        await db
          .update(fileDeletions)
          .set({ notBefore, attempts: sql`${fileDeletions.attempts} + 1` })
          .where(eq(fileDeletions.key, key))
      }),

    // The member's row is locked as the account store's `delete` locks it, so a purge and a
    // deletion of one member queue each key once and never see each other's half.
    purgeVerificationFiles: id =>
      guarded(() =>
        db.transaction(async tx => {
          const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update')
          if (owner === undefined) return null
          const removed = await tx
            .delete(verificationFiles)
            .where(eq(verificationFiles.userId, id))
            .returning({ key: verificationFiles.key })
          const keys = removed.map(file => file.key)
          await queueFileDeletions(tx, keys)
          return keys
        })
      ),

    dueVerificationPurges: (decidedBefore, limit) =>
      slow.guarded(async () => {
        const rows = await slow.db
          .select({ id: users.id })
          .from(users)
          .where(
            and(
              inArray(users.status, ['approved', 'rejected']),
              lt(users.decidedAt, decidedBefore),
              exists(
                slow.db
                  .select({ one: sql`1` })
                  .from(verificationFiles)
                  .where(eq(verificationFiles.userId, users.id))
              )
            )
          )
          .orderBy(asc(users.decidedAt), asc(users.id))
          .limit(limit)
        return rows.map(row => row.id)
      })
  }
}
