import type { Clock } from '../ports/system/clock.js'
import type { FileStore } from '../ports/outbound/file-store.js'
import type { FileDeletionQueue } from '../ports/records/file-deletion-queue.js'

export interface PurgeDeletedFilesDeps { fileDeletions: FileDeletionQueue, files: FileStore, clock: Clock }

/** A failed deletion is tried again after this long; the sweeper keeps trying until the store answers. */
export const FILE_DELETION_RETRY_SECONDS = 300

export interface PurgeReport { deleted: number, failed: number }

/**
 * Deletes queued files of deleted members. The queue row is written in the transaction that
 * deleted the member, and removed only once the store confirmed, so an outage delays the
 * deletion but never forgets it. Idempotent: two instances sweeping at once both succeed.
 */
export const makePurgeDeletedFiles = ({ fileDeletions, files, clock }: PurgeDeletedFilesDeps) => {
  async function purge (keys: string[]): Promise<PurgeReport> {
    const report: PurgeReport = { deleted: 0, failed: 0 }
    await Promise.all(keys.map(async (key) => {
      try {
        await files.delete(key)
        await fileDeletions.completeFileDeletion(key)
        report.deleted++
      } catch {
        report.failed++
        await fileDeletions
          .postponeFileDeletion(key, new Date(clock.now().getTime() + FILE_DELETION_RETRY_SECONDS * 1000))
          .catch(() => {})
      }
    }))
    return report
  }

  return {
    /** These keys, now (right after the member's deletion). */
    keys: purge,
    /** Whatever is due, up to `limit` (the periodic sweep). */
    async due (limit = 100): Promise<PurgeReport> {
      return purge(await fileDeletions.dueFileDeletions(clock.now(), limit))
    }
  }
}

export type PurgeDeletedFiles = ReturnType<typeof makePurgeDeletedFiles>
