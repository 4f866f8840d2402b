import type { AuditActor, AuditLog } from '../ports/records/audit-log.js'
import type { Clock } from '../ports/system/clock.js'
import type { RecordAudit } from '../audit/record-audit.js'

/**
 * A staff member's visit to a member: within this long after their last recorded look at a file,
 * another look at the same file writes no new `member.file_viewed`.
 */
export const FILE_VIEW_WINDOW_SECONDS = 30 * 60

export interface FileViewsDeps { audit: AuditLog, recordAudit: RecordAudit, clock: Clock }

/**
 * Records a reviewer's look at a member's verification files, one `member.file_viewed` per file
 * (its key in the detail), before the caller lets a link go; it throws when the trail cannot be
 * read or written, and the caller refuses the request.
 *
 * A staff member's visit is one entry per file and window: the trail itself is asked which of these
 * files this staff member was recorded looking at in the last FILE_VIEW_WINDOW_SECONDS, and only the
 * others are written. The trail is the state (no second store to lose or disagree with it, every
 * instance sees the same); two page loads racing may both write, which at worst adds an entry. The
 * admin API key has no visit (each call is a client fetching links): every look it takes is recorded.
 */
export const makeRecordFileViews = ({ audit, recordAudit, clock }: FileViewsDeps) =>
  async function recordFileViews (
    by: { actor: AuditActor, address: string | null },
    memberId: string, keys: readonly string[]): Promise<void> {
    let unrecorded = [...new Set(keys)]
    if (unrecorded.length === 0) return
    if (by.actor.kind === 'staff') {
      const staffId = by.actor.staffId.toLowerCase()
      const recent = await audit.list({
        memberId,
        staffId,
        actions: ['member.file_viewed'],
        from: new Date(clock.now().getTime() - FILE_VIEW_WINDOW_SECONDS * 1000),
        limit: 100
      })
      const seen = new Set(
        recent
          .filter(entry => entry.actor.kind === 'staff' && entry.actor.staffId === staffId)
          .map(entry => entry.detail.key)
      )
      unrecorded = unrecorded.filter(key => !seen.has(key))
    }
    for (const key of unrecorded) {
      await recordAudit(by.actor, 'member.file_viewed', { memberId, address: by.address, detail: { key } })
    }
  }

export type RecordFileViews = ReturnType<typeof makeRecordFileViews>
