import type { AccountRepository } from './records/account-repository.js'
import type { EmailChangeRepository } from './records/email-change-repository.js'
import type { ReviewRepository } from './records/review-repository.js'
import type { FileDeletionQueue } from './records/file-deletion-queue.js'
import type { PushTokenRepository } from './records/push-token-repository.js'
import type { CatalogRepository } from './records/catalog-repository.js'
import type { PasswordHasher } from './system/password-hasher.js'
import type { TokenCodec } from './system/token-codec.js'
import type { RevocationLedger } from './records/revocation-ledger.js'
import type { RevocationStore } from './shared-state/revocation-store.js'
import type { OtpStore } from './shared-state/otp-store.js'
import type { SmsSender } from './outbound/sms-sender.js'
import type { MailSender } from './outbound/mail-sender.js'
import type { PhoneParser } from './system/phone-parser.js'
import type { CodeHasher } from './system/code-hasher.js'
import type { RandomSource } from './system/random-source.js'
import type { Clock } from './system/clock.js'
import type { IdGenerator } from './system/id-generator.js'
import type { FileStore } from './outbound/file-store.js'
import type { PushSender } from './outbound/push-sender.js'
import type { HitCounter } from './shared-state/hit-counter.js'
import type { KnownClients } from './shared-state/known-clients.js'
import type { MemberPresence } from './shared-state/member-presence.js'
import type { SessionRegistry } from './shared-state/session-registry.js'
import type { AuditLog } from './records/audit-log.js'
import type { StaffRepository } from './records/staff-repository.js'
import type { StaffSessionStore } from './shared-state/staff-session-store.js'
import type { TotpAuthenticator } from './system/totp-authenticator.js'
import type { UndoStore } from './records/undo-store.js'
import type { RejectionReasonCatalog } from './records/rejection-reasons.js'
import type { MemberNoteRepository } from './records/member-notes.js'
import type { IdentityConfirmations } from './records/identity-confirmations.js'
import type { IdentityVerifier } from './outbound/identity-verifier.js'
import type { LinkedIdentities } from './records/linked-identities.js'
import type { ProviderRevocations } from './records/provider-revocations.js'
import type { Passkeys } from './records/passkeys.js'
import type { CeremonyChallenges } from './shared-state/ceremony-challenges.js'
import type { IdTokenVerifier } from './outbound/id-token-verifier.js'
import type { AppleTokens } from './outbound/apple-tokens.js'
import type { WebAuthn } from './system/web-authn.js'

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
  /** Who has had a member's page open lately (Redis, or this process). */
  memberPresence: MemberPresence
  sessions: SessionRegistry
  totp: TotpAuthenticator
  /** Undo codes for changed sign-in methods (PostgreSQL or PGlite). */
  undos: UndoStore
  /** The preset rejection reasons staff manage (PostgreSQL or PGlite). */
  rejectionReasons: RejectionReasonCatalog
  /** Staff's internal note per member (PostgreSQL or PGlite). */
  memberNotes: MemberNoteRepository
  /** The identities the provider confirmed and the verification ids used (PostgreSQL or PGlite). */
  identities: IdentityConfirmations
  /** The identity-verification provider (PortOne); null when IDENTITY_VERIFICATION is off. */
  identityVerifier: IdentityVerifier | null
  /** Members' identities at Kakao, Apple and Google (PostgreSQL or PGlite). */
  linkedIdentities: LinkedIdentities
  /** Provider tokens waiting to be revoked (Apple's), retried by the sweeper. */
  providerRevocations: ProviderRevocations
  /** Members' passkeys (PostgreSQL or PGlite). */
  passkeys: Passkeys
  /** WebAuthn challenges in flight (Redis, or this process). */
  ceremonyChallenges: CeremonyChallenges
  /** ID tokens of the configured providers (none configured: every token is refused). */
  idTokens: IdTokenVerifier
  /** Apple's token endpoints; null unless Sign in with Apple is configured with the team's key. */
  appleTokens: AppleTokens | null
  /** WebAuthn ceremonies; null unless WEBAUTHN_RP_ID is configured. */
  webAuthn: WebAuthn | null
}
