/**
 * Every failure the core can report, by stable code. Codes are part of the API (clients and tests
 * match on them), so a code is never renamed; the HTTP adapter maps each one to a status and texts.
 */
export type DomainErrorCode =
  | 'invalid_input'
  | 'email_taken'
  | 'invalid_credentials'
  | 'token_expired'
  | 'invalid_token'
  | 'user_not_found'
  | 'member_not_found'
  | 'member_pending'
  | 'member_rejected'
  | 'invalid_otp'
  | 'otp_expired'
  | 'otp_attempts_exceeded'
  | 'otp_resend_too_soon'
  | 'throttled'
  | 'sms_unavailable'
  | 'mail_unavailable'
  | 'update_failed'
  | 'not_found'
  | 'service_unavailable'
  | 'invalid_code'
  | 'code_expired'
  | 'email_not_verified'
  | 'reauthentication_required'
  | 'sign_in_method_taken'
  | 'decision_stale'
  | 'identity_unavailable'
  | 'invalid_id_token'
  | 'provider_unavailable'
  | 'identity_not_linked'
  | 'identity_linked_elsewhere'
  | 'identity_email_unproven'
  | 'last_sign_in_method'
  | 'passkey_refused'

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode

  constructor (message?: string, options?: ErrorOptions) {
    // An expected outcome (a wrong password, a forged token) needs no stack trace, and capturing
    // one was a sixth of the cost of a refused request: a flood of junk tokens stays cheap.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      super(message, options)
    } finally {
      Error.stackTraceLimit = limit
    }
  }

  override get name (): string { return this.constructor.name }
}

/** Why one input field was refused; the HTTP adapter holds the texts. */
export type FieldIssue =
  | 'required'
  | 'invalid'
  | 'invalid_type'
  | 'blank'
  | 'too_long'
  | 'invalid_choice'
  | 'invalid_email'
  | 'lookalike_email'
  | 'password_too_short'
  | 'invalid_phone'
  | 'invalid_date'
  | 'date_not_past'
  | 'username_taken'
  | 'name_taken'
  | 'mobile_taken'
  | 'email_taken'
  | 'unknown_reference'
  | 'invalid_upload_key'
  | 'upload_missing'
  | 'upload_in_use'
  | 'region_not_allowed'
  | 'not_mobile'
  | 'identity_mismatch'
  | 'identity_not_found'
  | 'identity_not_verified'
  | 'identity_expired'
  | 'identity_used'
  | 'identity_taken'
  | 'identity_confirmed'

export type FieldErrors = Record<string, FieldIssue[]>

export class ValidationError extends DomainError {
  readonly code = 'invalid_input'
  constructor (readonly fields: FieldErrors) { super('invalid input: ' + Object.keys(fields).join(', ')) }

  static of (field: string, issue: FieldIssue): ValidationError {
    return new ValidationError({ [field]: [issue] })
  }
}

/** Collects field problems so a request reports all of them at once, not the first only. */
export class FieldErrorCollector {
  private readonly fields: FieldErrors = {}
  add (field: string, issue: FieldIssue): void { (this.fields[field] ??= []).push(issue) }
  /** Runs a parser, recording its ValidationError fields instead of throwing. */
  attempt<T> (parse: () => T): T | undefined {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      for (const [field, issues] of Object.entries(error.fields)) for (const issue of issues) this.add(field, issue)
      return undefined
    }
  }

  throwIfAny (): void {
    if (Object.keys(this.fields).length > 0) throw new ValidationError(this.fields)
  }
}

export class EmailTakenError extends DomainError { readonly code = 'email_taken' }
export class InvalidCredentialsError extends DomainError { readonly code = 'invalid_credentials' }
export class TokenExpiredError extends DomainError { readonly code = 'token_expired' }
export class InvalidTokenError extends DomainError { readonly code = 'invalid_token' }
export class UserNotFoundError extends DomainError { readonly code = 'user_not_found' }
export class MemberNotFoundError extends DomainError { readonly code = 'member_not_found' }
export class PendingApprovalError extends DomainError { readonly code = 'member_pending' }
export class RejectedMemberError extends DomainError { readonly code = 'member_rejected' }
export class InvalidOtpError extends DomainError { readonly code = 'invalid_otp' }
export class OtpExpiredError extends DomainError { readonly code = 'otp_expired' }
/** Every refusal that says "not now" (429): `retryAfterSeconds` becomes the Retry-After header. */
export abstract class RetryLaterError extends DomainError {
  constructor (readonly retryAfterSeconds: number, message: string) { super(message) }
}

/** The code is void; a new one may be asked for after the resend cooldown. */
export class OtpAttemptsExceededError extends RetryLaterError {
  readonly code = 'otp_attempts_exceeded'
  constructor (retryAfterSeconds: number) { super(retryAfterSeconds, 'too many wrong codes') }
}
export class NotFoundError extends DomainError { readonly code = 'not_found' }
export class UpdateFailedError extends DomainError { readonly code = 'update_failed' }

export class OtpResendTooSoonError extends RetryLaterError {
  readonly code = 'otp_resend_too_soon'
  constructor (retryAfterSeconds: number) { super(retryAfterSeconds, 'a code was sent recently') }
}

export class ThrottledError extends RetryLaterError {
  readonly code = 'throttled'
  constructor (retryAfterSeconds: number) { super(retryAfterSeconds, 'too many requests') }

  /** Refused until a window ends in `ms`: Retry-After is whole seconds, at least 1. */
  static forMs (ms: number): ThrottledError { return new ThrottledError(Math.max(1, Math.ceil(ms / 1000))) }
}

/** A dependency (SMS vendor, database, Redis) did not answer; the request may be retried. */
export class SmsUnavailableError extends DomainError { readonly code = 'sms_unavailable' }
export class MailUnavailableError extends DomainError { readonly code = 'mail_unavailable' }
export class ServiceUnavailableError extends DomainError { readonly code = 'service_unavailable' }
/** An ID token from Kakao, Apple or Google failed a check (signature, issuer, audience, expiry, nonce). */
export class InvalidIdTokenError extends DomainError { readonly code = 'invalid_id_token' }
/** A sign-in provider's keys or token endpoint could not be reached within the deadline. */
export class ProviderUnavailableError extends DomainError { readonly code = 'provider_unavailable' }
/** No member holds this provider identity: sign up through a door, or sign in and link it. */
export class IdentityNotLinkedError extends DomainError { readonly code = 'identity_not_linked' }
/** The provider identity belongs to another member. */
export class IdentityLinkedElsewhereError extends DomainError { readonly code = 'identity_linked_elsewhere' }
/**
 * An account has the provider's address, but it is not proven (or the provider did not verify it):
 * the identity is not attached by a matching email alone (pre-hijacking).
 */
export class IdentityEmailUnprovenError extends DomainError { readonly code = 'identity_email_unproven' }
/** Removing this would leave the member no way to sign in. */
export class LastSignInMethodError extends DomainError { readonly code = 'last_sign_in_method' }
/** A passkey sign-in or registration that did not verify (unknown, replayed, another origin). */
export class PasskeyRefusedError extends DomainError { readonly code = 'passkey_refused' }
/** The identity-verification provider did not answer in time, failed, or refused our credentials. */
export class IdentityUnavailableError extends DomainError { readonly code = 'identity_unavailable' }
/**
 * The token state store lost its data and is being rebuilt from its durable copy: nothing it
 * would have refused may be let in meanwhile, so the request answers 503 (fail closed).
 */
export class SecurityStateLostError extends ServiceUnavailableError {}

export type DuplicateField =
  | 'email'
  | 'mobile'
  | 'username'
  | 'avatar'
  | 'profile'
  | 'verification_files'
  | 'identity_verification_id'
  | 'identity'
  | 'passkey'

/** Raised by repositories when a unique field is already held by another record. */
export class DuplicateValueError extends Error {
  constructor (readonly field: DuplicateField) { super(`duplicate ${field}`) }
}

/** Raised by the catalog repository when an interest or profession of that name exists. */
export class DuplicateNameError extends Error {
  constructor (readonly itemName: string) { super('duplicate catalog name') }
}

/** A mailed or texted code (password reset, email or number change) that is not the live one. */
export class InvalidCodeError extends DomainError { readonly code = 'invalid_code' }
/** No live code for that purpose: never sent, used, or past its life. */
export class CodeExpiredError extends DomainError { readonly code = 'code_expired' }
/** EMAIL_VERIFICATION=required and the member has not proved their address yet. */
export class EmailNotVerifiedError extends DomainError { readonly code = 'email_not_verified' }
/**
 * Adding or changing an email, a number or a password needs a recent proof of who is asking (the
 * current password, or a sign-in less than 10 minutes old): a stolen access token alone is not one.
 */
export class ReauthenticationRequiredError extends DomainError { readonly code = 'reauthentication_required' }
/** An undo code cannot put back the old address or number: another account holds it now (the code stays usable). */
export class SignInMethodTakenError extends DomainError { readonly code = 'sign_in_method_taken' }
/** A decision made on a member whose review state has changed since (another decision came first). */
export class StaleDecisionError extends DomainError { readonly code = 'decision_stale' }
