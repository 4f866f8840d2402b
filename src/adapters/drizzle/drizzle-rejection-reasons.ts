import { asc, eq } from 'drizzle-orm'
import type { RejectionReasonCatalog } from '../../application/ports/records/rejection-reasons.js'
import type { Database } from './database.js'
import { rejectionReasons } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

const columns = {
  id: rejectionReasons.id,
  ko: rejectionReasons.textKo,
  en: rejectionReasons.textEn,
  createdAt: rejectionReasons.createdAt,
  retiredAt: rejectionReasons.retiredAt
}

/** The preset rejection reasons on PostgreSQL or PGlite. */
export function createDrizzleRejectionReasons (db: Database, options: GuardOptions = {}): RejectionReasonCatalog {
  const guarded = guardWith(options)
  const table = rejectionReasons
  return {
    list: () => guarded(() => db.select(columns).from(table).orderBy(asc(table.createdAt), asc(table.id))),
    find: (id) => guarded(async () => (await db.select(columns).from(table).where(eq(table.id, id)))[0] ?? null),
    add: (reason) => guarded(async () => {
      const { id, ko: textKo, en: textEn, createdAt } = reason
      await db.insert(table).values({ id, textKo, textEn, createdAt })
    }),
    change: (id, { ko, en }) => guarded(async () =>
      (await db.update(table).set({ textKo: ko, textEn: en }).where(eq(table.id, id)).returning({ id: table.id }))
        .length === 1),
    retire: (id, at) => guarded(async () =>
      (await db.update(table).set({ retiredAt: at }).where(eq(table.id, id)).returning({ id: table.id }))
        .length === 1)
  }
}
