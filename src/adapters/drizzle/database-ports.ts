import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import type { Ports } from '../../application/ports/ports.js'
import type { Database } from './database.js'
import type { GuardOptions } from './translate-database-error.js'
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

/**
 * Every port the database holds, over one handle: the members' stores, the catalog (before its
 * in-process cache), the audit trail and the staff (one backup holds who did what to whom), the
 * revocation ledger and the undo codes, the members' provider identities and passkeys, and the
 * provider tokens waiting for revocation.
 */
export function createDatabasePorts (db: Database, ids: IdGenerator, guard: GuardOptions): DatabasePorts {
  return {
    accounts: createDrizzleAccountRepository(db, ids, guard),
    emailChanges: createDrizzleEmailChangeRepository(db, guard),
    review: createDrizzleReviewRepository(db, guard),
    fileDeletions: createDrizzleFileDeletionQueue(db, guard),
    pushTokens: createDrizzlePushTokenRepository(db, guard),
    catalog: createDrizzleCatalogRepository(db, guard),
    audit: createDrizzleAuditLog(db, ids, guard),
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
