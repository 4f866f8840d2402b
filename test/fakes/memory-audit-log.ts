import type { AuditEntry, AuditLog } from '../../src/application/ports/records/audit-log.js'
import type { IdGenerator } from '../../src/application/ports/system/id-generator.js'

/**
 * Newest first, then id descending: the SQL order. Lower-case uuids compare as text the way
 * PostgreSQL compares them as uuids (byte by byte), so both adapters break ties alike.
 */
function newestFirst (a: Pick<AuditEntry, 'at' | 'id'>, b: Pick<AuditEntry, 'at' | 'id'>): number {
  return b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function copy (entry: AuditEntry): AuditEntry {
  return { ...entry, at: new Date(entry.at), actor: { ...entry.actor }, detail: { ...entry.detail } }
}

/** The in-process twin of the audit table: append-only (no method changes an entry), copies in and out. */
export function createMemoryAuditLog (ids: IdGenerator): AuditLog {
  let entries: AuditEntry[] = []

  return {
    async append (entry) {
      // The SQL columns are uuids: they refuse anything else and store lower case. So does the twin.
      const uuid = (value: string): string => {
        if (!CANONICAL_UUID.test(value)) throw new Error('audit entry id field is not a uuid')
        return value.toLowerCase()
      }
      const { actor } = entry
      entries.push(
        copy({
          ...entry,
          id: ids.newId(),
          actor:
            actor.kind === 'staff'
              ? { ...actor, staffId: uuid(actor.staffId) }
              : actor.kind === 'member'
                ? { ...actor, memberId: uuid(actor.memberId) }
                : actor,
          memberId: entry.memberId === null ? null : uuid(entry.memberId),
          targetStaffId: entry.targetStaffId === null ? null : uuid(entry.targetStaffId)
        })
      )
    },

    async list ({ memberId, staffId, actions, from, to, before, limit }) {
      // As in SQL: a filter id that is not a uuid matches nothing; uuids match in any case.
      if (![memberId, staffId, before?.id].every((id) => id === undefined || CANONICAL_UUID.test(id))) return []
      const member = memberId?.toLowerCase()
      const staff = staffId?.toLowerCase()
      const cursor = before === undefined ? undefined : { at: before.at, id: before.id.toLowerCase() }
      return entries
        .filter(entry => member === undefined || entry.memberId === member)
        .filter(
          entry =>
            staff === undefined ||
            entry.targetStaffId === staff ||
            (entry.actor.kind === 'staff' && entry.actor.staffId === staff)
        )
        .filter(entry => actions === undefined || actions.includes(entry.action))
        .filter(entry => from === undefined || entry.at.getTime() >= from.getTime())
        .filter(entry => to === undefined || entry.at.getTime() < to.getTime())
        .filter(entry => cursor === undefined || newestFirst(entry, cursor) > 0)
        .sort(newestFirst)
        .slice(0, Math.max(0, limit))
        .map(copy)
    },

    async purgeOlderThan (instant) {
      const kept = entries.filter((entry) => entry.at.getTime() >= instant.getTime())
      const removed = entries.length - kept.length
      entries = kept
      return removed
    }
  }
}
