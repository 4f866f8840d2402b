import type { AuditAction, AuditActor, AuditDetail, AuditLog } from '../ports/records/audit-log.js'
import type { Clock } from '../ports/system/clock.js'

export interface RecordAuditDeps { audit: AuditLog, clock: Clock }

/** What an event is about besides who did it and what; every field may be left out. */
export interface AuditFacts {
  memberId?: string | null
  targetStaffId?: string | null
  address?: string | null
  reason?: string | null
  detail?: AuditDetail
}

/**
 * Writes one audit entry stamped by the clock. It throws when the trail cannot be written, and
 * callers let it: an action the trail cannot record (a look at an identity document) does not
 * happen unrecorded.
 */
export const makeRecordAudit = ({ audit, clock }: RecordAuditDeps) =>
  async function recordAudit (actor: AuditActor, action: AuditAction, facts: AuditFacts = {}): Promise<void> {
    await audit.append({
      at: clock.now(),
      actor,
      action,
      memberId: facts.memberId ?? null,
      targetStaffId: facts.targetStaffId ?? null,
      address: facts.address ?? null,
      reason: facts.reason ?? null,
      detail: facts.detail ?? {}
    })
  }

export type RecordAudit = ReturnType<typeof makeRecordAudit>
