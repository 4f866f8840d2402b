import type { AuditAction, AuditLog } from '../../application/ports/records/audit-log.js'

/**
 * Counts every event the trail records, by action: the console's decisions, staff sign-ins and
 * every member self-service event reach the metrics through the one place they are all written.
 */
export function countAuditEvents (inner: AuditLog, count: (action: AuditAction) => void): AuditLog {
  return {
    async append (entry) {
      await inner.append(entry)
      count(entry.action)
    },
    list: (filter) => inner.list(filter),
    purgeOlderThan: (instant) => inner.purgeOlderThan(instant)
  }
}
