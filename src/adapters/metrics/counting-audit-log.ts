import type { AuditAction, AuditLog } from '../../application/ports/records/audit-log.js'

/** What the counting trail reports: an entry written, or one the store refused. */
export interface AuditCounts {
  written: (action: AuditAction) => void
  /** The action the trail could not record: it failed with it (record-audit.ts), so an alert must see it. */
  failed: (action: AuditAction) => void
}

/**
 * Counts every event the trail records, by action: the console's decisions, staff sign-ins and
 * every member self-service event reach the metrics through the one place they are all written.
 * A write the store refuses is counted apart and rethrown: the caller's action fails with it.
 */
export function countAuditEvents (inner: AuditLog, counts: AuditCounts): AuditLog {
  return {
    async append (entry) {
      try {
        await inner.append(entry)
      } catch (error) {
        counts.failed(entry.action)
        throw error
      }
      counts.written(entry.action)
    },
    list: (filter) => inner.list(filter),
    purgeOlderThan: (instant) => inner.purgeOlderThan(instant)
  }
}
