import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import type {
  AuditAction,
  AuditActor,
  AuditEntry,
  AuditLog,
  NewAuditEntry
} from '../../application/ports/records/audit-log.js'
import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import type { Database } from './database.js'
import { auditEvents } from './schema.js'
import { guardWith, slowReads, type GuardOptions, type SlowPool } from './translate-database-error.js'

// A filter id that is not a uuid matches nothing (as in the memory twin) instead of failing the cast.
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type AuditRow = typeof auditEvents.$inferSelect

/**
 * The audit trail on PostgreSQL or PGlite. It inserts, reads and purges by age; it has no
 * update, and the table's trigger refuses one from anyone else.
 *
 * Lists not scoped to one member (the trail's pages and its CSV export: range scans of any
 * length) read `slow`, the slow pool, perhaps a replica (database-ports.ts). A member's own
 * entries stay on the primary: an index probe, and the reads a write depends on (whether a
 * decision may still be undone, which files a staff member has already been recorded viewing)
 * must see the entry written a moment ago, which a replica may not have yet.
 */
export function createDrizzleAuditLog (
  db: Database,
  ids: IdGenerator,
  options: GuardOptions = {},
  slowPool?: SlowPool
): AuditLog {
  const primary = { db, guarded: guardWith(options) }
  const { guarded } = primary
  const slow = slowReads(primary, options, slowPool)
  // Prepared once: every sign-in appends an entry before its tokens leave, and building the insert
  // each time was a tenth of a code login's CPU (bench/profile.ts, POST /api/token/).
  const insertEntry = db.insert(auditEvents).values(PLACEHOLDERS).prepare('audit_append')

  return {
    append: (entry) => guarded(async () => {
      await insertEntry.execute(toRow(ids.newId(), entry))
    }),

    async list ({ memberId, staffId, actions, from, to, before, limit }) {
      const filterIds = [memberId, staffId, before?.id].filter((id) => id !== undefined)
      if (limit <= 0 || !filterIds.every((id) => CANONICAL_UUID.test(id))) return []
      if (actions !== undefined && actions.length === 0) return []
      const conditions: Array<SQL | undefined> = [
        memberId === undefined ? undefined : eq(auditEvents.memberId, memberId),
        staffId === undefined
          ? undefined
          : or(eq(auditEvents.actorStaffId, staffId), eq(auditEvents.targetStaffId, staffId)),
        actions === undefined ? undefined : inArray(auditEvents.action, [...actions]),
        from === undefined ? undefined : gte(auditEvents.at, from),
        to === undefined ? undefined : lt(auditEvents.at, to),
        // A row comparison: strictly after the cursor in (at desc, id desc) order, one index range.
        before === undefined
          ? undefined
          : sql`(${auditEvents.at}, ${auditEvents.id}) < (${before.at.toISOString()}::timestamptz, ${before.id}::uuid)`
      ]
      const on = memberId === undefined ? slow : primary
      return on.guarded(async () => {
        const rows = await on.db.select().from(auditEvents).where(and(...conditions))
          .orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit)
        return rows.map(toEntry)
      })
    },

    purgeOlderThan: (instant) => guarded(async () => {
      // Counted in the database: the sweep may remove many rows, and only their number is wanted.
      const expired = sql`${auditEvents.at} < ${instant.toISOString()}::timestamptz`
      const result =
        (await db.execute(sql`with gone as (delete from ${auditEvents} where ${expired} returning 1)
        select count(*)::int as removed from gone`)) as unknown as
          Array<{ removed: number }> | { rows: Array<{ removed: number }> }
      // postgres.js answers the rows as an array, PGlite as { rows }.
      const [row] = Array.isArray(result) ? result : result.rows
      return Number(row?.removed ?? 0)
    })
  }
}

/** Every column of an entry, each given by toRow. */
type AuditInsert = Required<typeof auditEvents.$inferInsert>

const PLACEHOLDERS = {
  id: sql.placeholder('id'),
  at: sql.placeholder('at'),
  actorKind: sql.placeholder('actorKind'),
  actorStaffId: sql.placeholder('actorStaffId'),
  actorEmail: sql.placeholder('actorEmail'),
  actorMemberId: sql.placeholder('actorMemberId'),
  action: sql.placeholder('action'),
  memberId: sql.placeholder('memberId'),
  targetStaffId: sql.placeholder('targetStaffId'),
  address: sql.placeholder('address'),
  reason: sql.placeholder('reason'),
  detail: sql.placeholder('detail')
} satisfies Record<keyof AuditInsert, unknown>

function toRow (id: string, entry: NewAuditEntry): AuditInsert {
  const { actor } = entry
  return {
    id,
    at: entry.at,
    actorKind: actor.kind,
    actorStaffId: actor.kind === 'staff' ? actor.staffId : null,
    actorEmail: actor.kind === 'staff' ? actor.email : null,
    actorMemberId: actor.kind === 'member' ? actor.memberId : null,
    action: entry.action,
    memberId: entry.memberId,
    targetStaffId: entry.targetStaffId,
    address: entry.address,
    reason: entry.reason,
    detail: entry.detail
  }
}

function toActor (row: AuditRow): AuditActor {
  // The table's check constraint guarantees the fields of each kind are there.
  switch (row.actorKind) {
    case 'staff': return { kind: 'staff', staffId: row.actorStaffId!, email: row.actorEmail! }
    case 'member': return { kind: 'member', memberId: row.actorMemberId! }
    case 'api-key': return { kind: 'api-key' }
    case 'system': return { kind: 'system' }
  }
}

function toEntry (row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: toActor(row),
    action: row.action as AuditAction,
    memberId: row.memberId,
    targetStaffId: row.targetStaffId,
    address: row.address,
    reason: row.reason,
    detail: row.detail
  }
}
