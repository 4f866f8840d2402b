import { eq, inArray, sql } from 'drizzle-orm'
import { DuplicateNameError } from '../../domain/errors.js'
import type { CatalogItem, CatalogKind, CatalogRepository } from '../../application/ports/records/catalog-repository.js'
import type { Database } from './database.js'
import { interests, professions } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

const TABLES = { interest: interests, profession: professions } as const
/** The unique constraints on the names (drizzle's `<table>_<column>_unique`, see 0000_init.sql). */
const NAME_CONSTRAINTS: Record<CatalogKind, string> = {
  interest: 'interests_name_unique',
  profession: 'professions_name_unique'
}

// Only the canonical text form can match a stored id (PostgreSQL prints uuids that way); anything
// else would make the uuid cast fail the whole query instead of being "unknown".
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Interests and professions on PostgreSQL or PGlite. */
export function createDrizzleCatalogRepository (db: Database, options: GuardOptions = {}): CatalogRepository {
  const guarded = guardWith(options)
  const columns = (kind: CatalogKind) => {
    const table = TABLES[kind]
    return {
      id: table.id,
      name: table.name,
      emoji: table.emoji,
      imageKey: kind === 'interest' ? interests.imageKey : sql<string | null>`null`
    }
  }

  return {
    list: (kind) => guarded(async () => {
      const table = TABLES[kind]
      // Code-point order ("C"), not the database's locale: the same order on every server and in
      // the memory twin; for Hangul syllables it is also dictionary (가나다) order.
      return db.select(columns(kind)).from(table).orderBy(sql`${table.name} collate "C"`)
    }),

    findByIds: (kind, ids) => guarded(async () => {
      const wanted = ids.filter((id) => CANONICAL_UUID.test(id)).map((id) => id.toLowerCase())
      if (wanted.length === 0) return []
      const table = TABLES[kind]
      const rows = await db.select(columns(kind)).from(table).where(inArray(table.id, wanted))
      const byId = new Map<string, CatalogItem>(rows.map((row) => [row.id, row]))
      return ids.flatMap((id) => byId.get(id.toLowerCase()) ?? [])
    }),

    async add (kind, item) {
      // ON CONFLICT on the name alone: a taken name inserts nothing (also when two adds race),
      // while a taken id still fails as the error it is.
      const inserted = await guarded(async () => kind === 'interest'
        ? db.insert(interests).values({ id: item.id, name: item.name, emoji: item.emoji, imageKey: item.imageKey })
          .onConflictDoNothing({ target: interests.name }).returning({ id: interests.id })
        : db.insert(professions).values({ id: item.id, name: item.name, emoji: item.emoji })
          .onConflictDoNothing({ target: professions.name }).returning({ id: professions.id }))
      // Thrown outside `guarded`, which would turn it into an anonymous database failure.
      if (inserted.length === 0) throw new DuplicateNameError(item.name)
    },

    async update (kind, id, changes) {
      if (!CANONICAL_UUID.test(id)) return null
      const table = TABLES[kind]
      const set = {
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.emoji === undefined ? {} : { emoji: changes.emoji }),
        ...(changes.imageKey === undefined || kind !== 'interest' ? {} : { imageKey: changes.imageKey })
      }
      const outcome = await guarded(async () => {
        if (Object.keys(set).length === 0) {
          return db.select(columns(kind)).from(table).where(eq(table.id, id.toLowerCase()))
        }
        try {
          return await db.update(table).set(set).where(eq(table.id, id.toLowerCase())).returning(columns(kind))
        } catch (error) {
          // The unique name index decides, so two renames racing to one name cannot both win.
          if (isNameTaken(error, NAME_CONSTRAINTS[kind])) return 'name taken' as const
          throw error
        }
      })
      if (outcome === 'name taken') throw new DuplicateNameError(changes.name ?? '')
      return outcome[0] ?? null
    }
  }
}

/**
 * Whether a failed query is this unique constraint refusing a value (SQLSTATE 23505), found on the
 * driver's error under drizzle's wrapper: postgres.js names the constraint `constraint_name`,
 * PGlite `constraint`.
 */
function isNameTaken (error: unknown, constraint: string): boolean {
  for (
    let current: unknown = error, depth = 0;
    typeof current === 'object' && current !== null && depth < 5;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const fields = current as { code?: unknown, constraint_name?: unknown, constraint?: unknown }
    if (fields.code === '23505') return fields.constraint_name === constraint || fields.constraint === constraint
  }
  return false
}
