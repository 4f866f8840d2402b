import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import type { Ports } from '../../application/ports/ports.js'
import type { Database } from './database.js'
import type { GuardOptions, SlowPool } from './translate-database-error.js'
import { createDrizzleAccountRepository } from './drizzle-account-repository.js'
import { createDrizzleAuditLog } from './drizzle-audit-log.js'
import { createDrizzleCatalogRepository } from './drizzle-catalog-repository.js'
import { createDrizzleEmailChangeRepository } from './drizzle-email-change-repository.js'
import { createDrizzleFileDeletionQueue } from './drizzle-file-deletion-queue.js'
import { createDrizzlePushTokenRepository } from './drizzle-push-token-repository.js'
import { createDrizzleReviewRepository } from './drizzle-review-repository.js'
import { createDrizzleRevocationLedger } from './drizzle-revocation-ledger.js'
import { createDrizzleStaffRepository } from './drizzle-staff-repository.js'
import { createDrizzleUndoStore } from './drizzle-undo-store.js'
import { createDrizzleMemberNotes } from './drizzle-member-notes.js'
import { createDrizzleRejectionReasons } from './drizzle-rejection-reasons.js'
import { createDrizzleIdentityConfirmations } from './drizzle-identity-confirmations.js'
import { createDrizzleLinkedIdentities } from './drizzle-linked-identities.js'
import { createDrizzlePasskeys } from './drizzle-passkeys.js'
import { createDrizzleProviderRevocations } from './drizzle-provider-revocations.js'

type DatabasePorts = Pick<
  Ports,
  | 'accounts'
  | 'emailChanges'
  | 'review'
  | 'fileDeletions'
  | 'pushTokens'
  | 'catalog'
  | 'audit'
  | 'revocationLedger'
  | 'staff'
  | 'undos'
  | 'rejectionReasons'
  | 'memberNotes'
  | 'identities'
  | 'linkedIdentities'
  | 'passkeys'
  | 'providerRevocations'
>

export interface DatabasePortOptions {
  /**
   * Where the slow reads go: the console's member search and its counts, the audit trail's
   * browsing and export, the sweepers' scans for due work. A second small pool, so a long scan
   * never holds a connection a sign-in waits for; on a replica when DATABASE_REPLICA_URL is set.
   * Default: the primary (PGlite is one database). Every write, and every read a write depends on,
   * stays on the primary.
   *
   * A replica lags (typically milliseconds, seconds under load), and what that means here:
   * - a console search or count may miss a member who signed up a second ago, or show a decision
   *   just taken as not yet taken; the "next pending" member after a decision may be one a
   *   colleague has just decided (the decision itself is a compare-and-set on the primary);
   * - the trail's pages and export may not list yet an entry just written;
   * - a sweeper may delete an already deleted file again (the file store's delete and the queue's
   *   completion are idempotent), or purge the files of a member whose past-retention decision
   *   was replaced within the lag.
   * The trail's reads for one member (the undo check, the file-view record) are ones a write
   * depends on, and stay on the primary (drizzle-audit-log.ts).
   *
   * Its operations in flight are counted on the pool's own load, apart from the primary's.
   */
  slow?: SlowPool
}

/**
 * Every port the database holds, over one handle: the members' stores, the catalog (before its
 * in-process cache), the audit trail and the staff (one backup holds who did what to whom), the
 * revocation ledger and the undo codes, the members' provider identities and passkeys, and the
 * provider tokens waiting for revocation.
 */
export function createDatabasePorts (
  db: Database,
  ids: IdGenerator,
  guard: GuardOptions,
  { slow }: DatabasePortOptions = {}
): DatabasePorts {
  return {
    accounts: createDrizzleAccountRepository(db, ids, guard),
    emailChanges: createDrizzleEmailChangeRepository(db, guard),
    review: createDrizzleReviewRepository(db, guard, slow),
    fileDeletions: createDrizzleFileDeletionQueue(db, guard, slow),
    pushTokens: createDrizzlePushTokenRepository(db, guard),
    catalog: createDrizzleCatalogRepository(db, guard),
    audit: createDrizzleAuditLog(db, ids, guard, slow),
    revocationLedger: createDrizzleRevocationLedger(db, guard),
    staff: createDrizzleStaffRepository(db, ids, guard),
    undos: createDrizzleUndoStore(db, guard),
    rejectionReasons: createDrizzleRejectionReasons(db, guard),
    memberNotes: createDrizzleMemberNotes(db, guard),
    identities: createDrizzleIdentityConfirmations(db, guard),
    linkedIdentities: createDrizzleLinkedIdentities(db, ids, guard),
    passkeys: createDrizzlePasskeys(db, guard),
    providerRevocations: createDrizzleProviderRevocations(db, guard)
  }
}
