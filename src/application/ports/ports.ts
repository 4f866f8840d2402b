import type { AccountRepository } from './account-repository.js'
import type { EmailChangeRepository } from './email-change-repository.js'
import type { ReviewRepository } from './review-repository.js'
import type { FileDeletionQueue } from './file-deletion-queue.js'
import type { PushTokenRepository } from './push-token-repository.js'
import type { CatalogRepository } from './catalog-repository.js'
import type { PasswordHasher } from './password-hasher.js'
import type { TokenCodec } from './token-codec.js'
import type { RevocationLedger } from './revocation-ledger.js'
import type { RevocationStore } from './revocation-store.js'
import type { OtpStore } from './otp-store.js'
import type { SmsSender } from './sms-sender.js'
import type { MailSender } from './mail-sender.js'
import type { PhoneParser } from './phone-parser.js'
import type { CodeHasher } from './code-hasher.js'
import type { RandomSource } from './random-source.js'
import type { Clock } from './clock.js'
import type { IdGenerator } from './id-generator.js'
import type { FileStore } from './file-store.js'
import type { PushSender } from './push-sender.js'
import type { HitCounter } from './hit-counter.js'
import type { KnownClients } from './known-clients.js'
import type { SessionRegistry } from './session-registry.js'
import type { AuditLog } from './audit-log.js'
import type { StaffRepository } from './staff-repository.js'
import type { StaffSessionStore } from './staff-session-store.js'
import type { TotpAuthenticator } from './totp-authenticator.js'
import type { UndoStore } from './undo-store.js'

/** Every port the core needs; the composition root fills it with real or in-memory adapters. */
export interface Ports {
  /** These five are one store (the users table and what hangs off it), cut by what the core needs. */
  accounts: AccountRepository
  emailChanges: EmailChangeRepository
  review: ReviewRepository
  fileDeletions: FileDeletionQueue
  pushTokens: PushTokenRepository
  catalog: CatalogRepository
  hasher: PasswordHasher
  codec: TokenCodec
  revocations: RevocationStore
  /** The durable copy of what `revocations` holds (PostgreSQL or PGlite). */
  revocationLedger: RevocationLedger
  otps: OtpStore
  sms: SmsSender
  mail: MailSender
  phones: PhoneParser
  codeHasher: CodeHasher
  random: RandomSource
  clock: Clock
  ids: IdGenerator
  files: FileStore
  push: PushSender
  hits: HitCounter
  knownClients: KnownClients
  audit: AuditLog
  staff: StaffRepository
  staffSessions: StaffSessionStore
  sessions: SessionRegistry
  totp: TotpAuthenticator
  /** Undo codes for changed sign-in methods (PostgreSQL or PGlite). */
  undos: UndoStore
}
