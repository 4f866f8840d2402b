import type { DuplicateIdentityPolicy, IdentityVerificationMode } from '../../domain/identity.js'

/** IDENTITY_VERIFICATION, IDENTITY_DUPLICATES and IDENTITY_VERIFICATION_MAX_AGE_MINUTES, read by the config. */
export interface IdentitySettings {
  mode: IdentityVerificationMode
  /** A verified CI another account already confirmed: the sign-up is flagged for review, or refused. */
  duplicates: DuplicateIdentityPolicy
  /** A verification older than this (from the provider's `verifiedAt`) confirms no one. */
  maxAgeMs: number
}
