import type { PurgeVerificationFiles, VerificationPurgeReport } from './purge-verification-files.js'
import type { RecordAudit } from '../audit/record-audit.js'

export interface SweepVerificationFilesDeps { purge: PurgeVerificationFiles, recordAudit: RecordAudit }

/** What the sweep did, and the members whose purge the trail could not take (the log must say so). */
export interface VerificationSweepReport extends VerificationPurgeReport { unrecorded: string[] }

/**
 * The retention sweep of identity documents (VERIFICATION_FILES_RETENTION_DAYS): purges what is
 * due, then puts each member's purge on the trail as the system's doing, as a staff member's purge
 * is theirs. The files are gone by then, so a trail that cannot be written does not stop the sweep:
 * the members it missed are answered for the log instead.
 */
export const makeSweepVerificationFiles = ({ purge, recordAudit }: SweepVerificationFilesDeps) =>
  async function sweepVerificationFiles (): Promise<VerificationSweepReport> {
    const report = await purge.due()
    const unrecorded: string[] = []
    for (const { memberId, files } of report.purged) {
      await recordAudit({ kind: 'system' }, 'member.files_purged', { memberId, detail: { files, cause: 'retention' } })
        .catch(() => { unrecorded.push(memberId) })
    }
    return { ...report, unrecorded }
  }

export type SweepVerificationFiles = ReturnType<typeof makeSweepVerificationFiles>
