import type { AuditLog } from '../ports/records/audit-log.js'
import type { Clock } from '../ports/system/clock.js'

/** Korea's rules on access records of personal-data systems ask for one to two years: two by default. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 730

const DAY_MS = 86_400_000

export interface SweepAuditDeps { audit: AuditLog, clock: Clock, retentionDays: number }

/**
 * The one removal path of the audit trail: entries older than the retention period go, nothing
 * else ever does. Idempotent, so instances may sweep at once; answers how many entries went.
 */
export const makeSweepAudit = ({ audit, clock, retentionDays }: SweepAuditDeps) => {
  // A zero or negative period would erase the trail as it is written: refused at wiring time.
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError('retentionDays must be a whole number of days, at least 1')
  }
  return async function sweepAudit (): Promise<number> {
    return audit.purgeOlderThan(new Date(clock.now().getTime() - retentionDays * DAY_MS))
  }
}

export type SweepAudit = ReturnType<typeof makeSweepAudit>
