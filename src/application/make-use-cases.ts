import { makeAbuseLimits, type AbuseSettings } from './security/abuse-limits.js'
import { makeConsoleUseCases } from './make-console-use-cases.js'
import { makeAdmitToken } from './sessions/admit-token.js'
import { makeSweepAudit } from './audit/audit-retention.js'
import { makeAuthenticate } from './sign-in/authenticate.js'
import { makeAddCatalogItem, makeListCatalog } from './catalog/catalog.js'
import { makeDeleteAccount } from './members/delete-account.js'
import { makeEndSessions } from './sessions/end-sessions.js'
import { makeGetMe } from './members/get-me.js'
import { makeLoginWithPassword } from './sign-in/login-with-password.js'
import { makeLogout } from './sign-in/logout.js'
import { makeLogoutRefresh } from './sign-in/logout-refresh.js'
import { makeDescribeMember } from './members/member-view.js'
import { makeNotifyMember } from './members/notify-member.js'
import type { OtpSettings } from './security/otp-settings.js'
import type { MemberTexts } from './ports/outbound/member-texts.js'
import { makePresignUpload, type UploadSettings } from './registration/presign-upload.js'
import { makePurgeDeletedFiles } from './files/purge-deleted-files.js'
import { makePurgeVerificationFiles } from './files/purge-verification-files.js'
import { makeRecordAudit } from './audit/record-audit.js'
import { makeChangeMobile } from './members/change-mobile.js'
import { makeChangePassword } from './members/change-password.js'
import { makeMemberEmail, type EmailVerificationMode } from './members/member-email.js'
import { makeDurableRevocations } from './sessions/durable-revocations.js'
import { makeOneTimeCodes } from './security/one-time-codes.js'
import { makeMemberSessions } from './sessions/member-sessions.js'
import { makeMemberSupport } from './members/member-support.js'
import { makePasswordRecovery } from './members/password-recovery.js'
import { makeMemberReview } from './review/member-review.js'
import { makeQueueSearch } from './review/review-queue.js'
import { makeApproveMany } from './review/approve-many.js'
import { makeMemberFiles } from './review/member-files.js'
import { makeRecordFileViews } from './review/file-views.js'
import { makeRecordDecision } from './review/record-decision.js'
import { makeReviewMembers } from './review/review-members.js'
import { makeRefreshSession } from './sign-in/refresh-session.js'
import { makeRegisterWithEmail } from './registration/register-with-email.js'
import { makeRegisterWithPhone } from './registration/register-with-phone.js'
import { makeRequestOtp } from './sign-in/request-otp.js'
import { makeIssueUndo, makeUndoSignInChange } from './members/sign-in-undo.js'
import { makeSweepVerificationFiles } from './files/sweep-verification-files.js'
import { makeTokenService, type TokenSettings } from './sessions/token-service.js'
import type { Ports } from './ports/ports.js'
import { makeCheckIdentity } from './identity/check-identity.js'
import { makeConfirmMemberIdentity } from './identity/confirm-member-identity.js'
import type { IdentitySettings } from './identity/identity-settings.js'
import { makeBeginDoorSession } from './linked-sign-in/door-session.js'
import { makePasskeySignIn } from './linked-sign-in/passkey-sign-in.js'
import { makeProviderSignIn } from './linked-sign-in/provider-sign-in.js'
import { makeRevokeProviderTokens } from './linked-sign-in/revoke-provider-tokens.js'
import { makeSignInMethods } from './linked-sign-in/sign-in-methods.js'
import { makeUpdateFcm } from './members/update-fcm.js'
import { makeVerifyOtp } from './sign-in/verify-otp.js'

/** How long personal records are kept, in whole days; null: until someone removes them. */
export interface RetentionSettings { auditDays: number, verificationFilesDays: number | null }

export interface CoreSettings {
  tokens: TokenSettings
  otp: OtpSettings
  uploads: UploadSettings
  limits: AbuseSettings
  retention: RetentionSettings
  emailVerification: EmailVerificationMode
  identity: IdentitySettings
}

/** `texts`: what members read in SMS and pushes, in their language (the adapters' message table). */
export function makeUseCases (ports: Ports, settings: CoreSettings, texts: MemberTexts) {
  const { accounts, emailChanges, review, fileDeletions, pushTokens } = ports
  const { catalog, hasher, otps, sms, phones, codeHasher, random, clock, ids, files, push, hits, audit } = ports
  // Every use-case sees the store through its durable copy: nothing that ends a token lives only in Redis.
  const securityState = makeDurableRevocations({ store: ports.revocations, ledger: ports.revocationLedger, clock })
  const { revocations } = securityState
  const tokens = makeTokenService({ codec: ports.codec, clock, ids, settings: settings.tokens })
  const describeMember = makeDescribeMember({ accounts, catalog, clock })
  const purgeDeletedFiles = makePurgeDeletedFiles({ fileDeletions, files, clock })
  const forgetSessions = (userId: string) => ports.sessions.closeAll(userId)
  const recordDecision = makeRecordDecision({ accounts, review, clock })
  const endSessions = makeEndSessions({ accounts, recordDecision, clock, forgetSessions })
  const admitToken = makeAdmitToken({ tokens, revocations })
  const { authenticate, authenticateAccount } = makeAuthenticate({ admitToken, accounts })
  const limits = makeAbuseLimits({ hits, known: ports.knownClients, settings: settings.limits })
  const addCatalogItem = makeAddCatalogItem({ catalog, ids })
  const reviewDeps = {
    accounts,
    review,
    fileDeletions,
    recordDecision,
    describeMember,
    endSessions,
    files,
    notifyMember: makeNotifyMember({ pushTokens, push }),
    texts,
    readLinkTtlSeconds: settings.uploads.readLinkTtlSeconds
  }
  const recordAudit = makeRecordAudit({ audit, clock })
  const recordFileViews = makeRecordFileViews({ audit, recordAudit, clock })
  // The only review path the doors get: the records (review-members.ts) behind the audited use-case.
  const reviewMembers = makeReviewMembers(reviewDeps)
  const memberReview = makeMemberReview({
    reviewMembers,
    phones,
    audit,
    recordAudit,
    recordFileViews,
    clock
  })
  const codes = makeOneTimeCodes({ otps, random, codeHasher, limits })
  const sessions = makeMemberSessions({
    registry: ports.sessions,
    revocations,
    tokens,
    ids,
    clock,
    recordAudit,
    lives: { phone: settings.tokens.refreshTtlSeconds, email: settings.tokens.emailAccessTtlSeconds }
  })
  // The one policy for verification ids: sign-up and a later confirmation both go through it.
  const checkIdentity = makeCheckIdentity({
    verifier: ports.identityVerifier,
    identities: ports.identities,
    phones,
    clock,
    settings: settings.identity
  })
  // Sign-in with Kakao, Apple and Google and with passkeys share the door's session and the rules for ways in.
  const beginDoorSession = makeBeginDoorSession({ accounts, describeMember, recordAudit, sessions })
  const signInMethods = makeSignInMethods({
    accounts,
    identities: ports.linkedIdentities,
    passkeys: ports.passkeys,
    clock,
    emailVerification: settings.emailVerification
  })
  const revokeProviderTokens = makeRevokeProviderTokens({
    revocations: ports.providerRevocations,
    appleTokens: ports.appleTokens,
    clock
  })
  // What a provider sign-in and a passkey sign-in both need: the account, the tokens, the guard and the trail.
  const signInDeps = { accounts, tokens, limits, clock, recordAudit, beginDoorSession, signInMethods }
  const providerSignIn = makeProviderSignIn({
    ...signInDeps,
    idTokens: ports.idTokens,
    identities: ports.linkedIdentities,
    appleTokens: ports.appleTokens
  })
  const issueUndo = makeIssueUndo({ undos: ports.undos, random, codeHasher, clock })
  const memberEmail = makeMemberEmail({
    accounts,
    emailChanges,
    hasher,
    mail: ports.mail,
    texts,
    codes,
    limits,
    clock,
    recordAudit,
    issueUndo,
    mode: settings.emailVerification
  })
  return {
    /** The token state's durable copy: its write-behind flush, its rebuild before listening, its hourly purge. */
    securityState,
    limits,
    authenticate,
    authenticateAccount,
    registerWithEmail: makeRegisterWithEmail({ accounts, hasher, ids, recordAudit }),
    loginWithPassword: makeLoginWithPassword({
      accounts,
      hasher,
      tokens,
      limits,
      recordAudit,
      emailGate: memberEmail.blocksLogin,
      sessions
    }),
    logout: makeLogout({ revocations, tokens, endSessions, recordAudit, sessions }),
    memberSessions: sessions,
    deleteAccount: makeDeleteAccount({
      accounts,
      purgeFiles: purgeDeletedFiles,
      recordAudit,
      forgetSessions,
      revokeProviderTokens
    }),
    /** Apple's refresh tokens of deleted members and unlinked identities (the sweeper retries them). */
    revokeProviderTokens,
    /** Kakao, Apple and Google from the apps' native SDKs: sign-in, sign-up's attachment, the member's list. */
    providerSignIn,
    /** Passkeys: registration by a signed-in member, discoverable sign-in, the member's list. */
    passkeySignIn: makePasskeySignIn({
      ...signInDeps,
      webAuthn: ports.webAuthn,
      challenges: ports.ceremonyChallenges,
      passkeys: ports.passkeys
    }),
    purgeDeletedFiles,
    /** One audit entry stamped by the clock (the adapters' own events: the admin API's calls). */
    recordAudit,
    /** The audit trail's retention sweep (hourly, each instance). */
    sweepAudit: makeSweepAudit({ audit, clock, retentionDays: settings.retention.auditDays }),
    /** The verification files' retention sweep (hourly when VERIFICATION_FILES_RETENTION_DAYS is set). */
    sweepVerificationFiles: makeSweepVerificationFiles({
      purge: makePurgeVerificationFiles({
        fileDeletions,
        clock,
        retentionDays: settings.retention.verificationFilesDays
      }),
      recordAudit
    }),
    presignUpload: makePresignUpload({ files, ids, settings: settings.uploads }),
    updateFcm: makeUpdateFcm({ pushTokens }),
    getMe: makeGetMe({ admitToken, accounts, describeMember }),
    registerWithPhone: makeRegisterWithPhone({
      accounts,
      catalog,
      phones,
      ids,
      clock,
      tokens,
      describeMember,
      files,
      allowedCountries: settings.otp.allowedCountries,
      recordAudit,
      sessions,
      checkIdentity,
      providers: providerSignIn
    }),
    /** A member attaches a verification made after their sign-up (POST /api/users/me/identity/). */
    confirmMemberIdentity: makeConfirmMemberIdentity({
      accounts,
      identities: ports.identities,
      checkIdentity,
      describeMember,
      recordAudit,
      enabled: settings.identity.mode !== 'off' && ports.identityVerifier !== null
    }),
    requestOtp: makeRequestOtp({ accounts, codes, sms, phones, settings: settings.otp, texts }),
    verifyOtp: makeVerifyOtp({
      accounts,
      codes,
      phones,
      tokens,
      describeMember,
      settings: settings.otp,
      limits,
      recordAudit,
      sessions
    }),
    refreshSession: makeRefreshSession({
      tokens,
      admitToken,
      revocations,
      accounts,
      clock,
      reuseGraceSeconds: settings.tokens.reuseGraceSeconds,
      sessions
    }),
    logoutRefresh: makeLogoutRefresh({ tokens, revocations, recordAudit, sessions }),
    listCatalog: makeListCatalog({ catalog }),
    addCatalogItem,
    /** Members reviewed and decided by staff or the admin API key, on the audit trail. */
    memberReview,
    /** The console's queue: filters, orders, pages and the counts beside them. */
    queueSearch: makeQueueSearch({ review, phones, clock }),
    /** The queue's bulk approval: each member through memberReview, with the version the page showed. */
    approveMany: makeApproveMany({ accounts, memberReview }),
    /** The console's file viewer: a member's verification files, each look on the trail once per visit. */
    memberFiles: makeMemberFiles({
      reviewMembers: makeReviewMembers(reviewDeps),
      files,
      recordFileViews
    }),
    memberEmail,
    passwordRecovery: makePasswordRecovery({
      accounts,
      emailChanges,
      hasher,
      mail: ports.mail,
      texts,
      codes,
      limits,
      endSessions,
      recordAudit,
      clock
    }),
    changePassword: makeChangePassword({ accounts, hasher, tokens, endSessions, limits, recordAudit, sessions }),
    changeMobile: makeChangeMobile({
      accounts,
      phones,
      sms,
      texts,
      codes,
      limits,
      describeMember,
      recordAudit,
      clock,
      hasher,
      issueUndo,
      settings: settings.otp,
      emailVerification: settings.emailVerification
    }),
    /** The undo code the replaced email or number was sent puts it back and ends every session. */
    /** Forgets expired undo records, and with them the old addresses and numbers they held (hourly). */
    purgeUndos: () => ports.undos.purge(clock.now()),
    undoSignInChange: makeUndoSignInChange({
      undos: ports.undos,
      codeHasher,
      clock,
      accounts,
      emailChanges,
      endSessions,
      limits,
      recordAudit
    }),
    /** What admins do for a member on the console: a number changed after an identity check, their sessions. */
    memberSupport: makeMemberSupport({
      accounts,
      phones,
      sms,
      texts,
      endSessions,
      memberSessions: sessions,
      recordAudit,
      memberIdOf: reviewMembers.existing,
      allowedCountries: settings.otp.allowedCountries
    }),
    ...makeConsoleUseCases(ports, { limits, addCatalogItem, recordAudit })
  }
}

export type UseCases = ReturnType<typeof makeUseCases>
