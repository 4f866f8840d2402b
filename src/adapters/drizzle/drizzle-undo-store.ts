import { and, eq, gt, gte, isNull, lt } from 'drizzle-orm'
import type { UndoStore } from '../../application/ports/records/undo-store.js'
import type { Database } from './database.js'
import { signInMethodUndos } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

const columns = {
  userId: signInMethodUndos.userId,
  kind: signInMethodUndos.kind,
  previous: signInMethodUndos.previous,
  createdAt: signInMethodUndos.createdAt,
  expiresAt: signInMethodUndos.expiresAt
}

/**
 * Undo codes on PostgreSQL or PGlite, beside the members they belong to (a member's deletion
 * takes their codes with it: the foreign key cascades).
 */
export function createDrizzleUndoStore (db: Database, options: GuardOptions = {}): UndoStore {
  const guarded = guardWith(options)
  const table = signInMethodUndos

  return {
    record: (codeHash, undo) => guarded(async () => {
      await db.insert(table).values({ codeHash, ...undo })
    }),

    // One conditional UPDATE spends the code: of two transactions with the same code, the second
    // waits for the first's row lock, then finds `used_at` set and updates nothing. The later
    // codes are voided in the same transaction, so no one sees the code spent and they still live.
    take: (codeHash, now) => guarded(() => db.transaction(async (tx) => {
      const [taken] = await tx.update(table).set({ usedAt: now })
        .where(and(eq(table.codeHash, codeHash), isNull(table.usedAt), gt(table.expiresAt, now)))
        .returning(columns)
      if (taken === undefined) return null
      await tx
        .update(table)
        .set({ usedAt: now })
        .where(
          and(
            eq(table.userId, taken.userId),
            eq(table.kind, taken.kind),
            isNull(table.usedAt),
            gte(table.createdAt, taken.createdAt)
          )
        )
      return taken
    })),

    release: (codeHash) => guarded(async () => {
      await db.update(table).set({ usedAt: null }).where(eq(table.codeHash, codeHash))
    }),

    purge: (now) => guarded(async () =>
      (await db.delete(table).where(lt(table.expiresAt, now)).returning({ codeHash: table.codeHash })).length)
  }
}
