/**
 * The durable queue of stored files to delete (an account deleted, verification files purged):
 * a key queued in the transaction that removed its record is never forgotten by a crash.
 */
export interface FileDeletionQueue {
  /** Up to `limit` queued file keys due at `now`, oldest first. */
  dueFileDeletions(now: Date, limit: number): Promise<string[]>
  /** The file is gone from the store: it leaves the queue. */
  completeFileDeletion(key: string): Promise<void>
  /** Deleting the file failed: it stays queued and is due again at `notBefore`. */
  postponeFileDeletion(key: string, notBefore: Date): Promise<void>
  /**
   * Deletes the member's verification file records and, in the same transaction, queues their
   * stored files for deletion (as AccountRepository's `delete` does); the avatar and profile photo
   * stay. Answers the queued keys, or null when there is no such member.
   */
  purgeVerificationFiles(id: string): Promise<string[] | null>
  /**
   * Up to `limit` ids of members approved or rejected before `decidedBefore` who still have
   * verification files, earliest decision first.
   */
  dueVerificationPurges(decidedBefore: Date, limit: number): Promise<string[]>
}
