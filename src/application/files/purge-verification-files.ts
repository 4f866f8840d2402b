import type { Clock } from '../ports/system/clock.js'
import type { FileDeletionQueue } from '../ports/records/file-deletion-queue.js'

export interface PurgeVerificationFilesDeps {
  fileDeletions: FileDeletionQueue
  clock: Clock
  /** Days a decided member's verification files are kept (VERIFICATION_FILES_RETENTION_DAYS); null keeps them. */
  retentionDays: number | null
}

export interface VerificationPurgeReport {
  /** Members whose files went, and how many files in all. */
  members: number
  files: number
  /** Each member purged, for the audit trail. */
  purged: Array<{ memberId: string, files: number }>
}

const DAY_MS = 86_400_000
const BATCH = 100

/**
 * Identity documents are personal data kept no longer than needed: this many days after the
 * decision, a member's verification files leave their record, and the stored files go through the
 * durable deletion queue (file_deletions, swept by purge-deleted-files), so an outage of the file
 * store delays the deletion but never forgets it. Idempotent: two instances sweeping at once
 * purge each member once (the second finds nothing left and does not count it).
 */
export const makePurgeVerificationFiles = ({ fileDeletions, clock, retentionDays }: PurgeVerificationFilesDeps) => {
  if (retentionDays !== null && !(Number.isInteger(retentionDays) && retentionDays >= 1)) {
    throw new RangeError('the verification file retention is a whole number of days, at least 1')
  }

  return {
    /** Purges every member whose decision is more than the retention period old (exactly at it: kept). */
    async due (): Promise<VerificationPurgeReport> {
      const report: VerificationPurgeReport = { members: 0, files: 0, purged: [] }
      if (retentionDays === null) return report
      const decidedBefore = new Date(clock.now().getTime() - retentionDays * DAY_MS)
      // Each member is tried once per sweep, so a member that stays due (a purge racing with
      // something unforeseen) cannot keep the loop going.
      const tried = new Set<string>()
      for (;;) {
        const ids = (await fileDeletions.dueVerificationPurges(decidedBefore, BATCH)).filter((id) => !tried.has(id))
        if (ids.length === 0) return report
        for (const id of ids) {
          tried.add(id)
          const keys = await fileDeletions.purgeVerificationFiles(id)
          if (keys === null || keys.length === 0) continue
          report.members++
          report.files += keys.length
          report.purged.push({ memberId: id, files: keys.length })
        }
      }
    }
  }
}

export type PurgeVerificationFiles = ReturnType<typeof makePurgeVerificationFiles>
