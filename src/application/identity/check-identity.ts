import {
  contradictions,
  isStale,
  type ClaimedIdentity,
  type IdentityConfirmation,
  type IdentityRefusal
} from '../../domain/identity.js'
import type { FieldErrorCollector, FieldIssue } from '../../domain/errors.js'
import type { PhoneNumber } from '../../domain/user.js'
import type { IdentityVerifier } from '../ports/outbound/identity-verifier.js'
import type { IdentityConfirmations } from '../ports/records/identity-confirmations.js'
import type { Clock } from '../ports/system/clock.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import type { IdentitySettings } from './identity-settings.js'

export interface CheckIdentityDeps {
  verifier: IdentityVerifier | null
  identities: IdentityConfirmations
  phones: PhoneParser
  clock: Clock
  settings: IdentitySettings
}

/** What a member (or a sign-up) says about themselves, checked against the provider's record. */
export interface IdentityClaim {
  verificationId: string | null
  claimed: ClaimedIdentity
  /** The number the account signs in with: it must be the verified one. */
  mobile: PhoneNumber | null
  /** The member confirming later: their own account is no duplicate of theirs. */
  memberId?: string
}

/** The field the app sends the verification's id in. */
export const VERIFICATION_ID_FIELD = 'identity_verification_id'

const REFUSALS: Record<IdentityRefusal, FieldIssue> = {
  // Another store's verification is reported as unknown: its existence is not ours to tell.
  not_found: 'identity_not_found',
  other_store: 'identity_not_found',
  not_verified: 'identity_not_verified',
  expired: 'identity_expired'
}

/**
 * The one policy for a verification id, at sign-up and when a member confirms later: the
 * provider's record, not the app's word, decides. Problems go to `problems` under the phone door's
 * field names; the confirmation to store is returned, or null when there is none to store (no id,
 * the mode is off, or a problem was found). Throws IdentityUnavailableError when the provider does
 * not answer: nothing is decided on a guess.
 */
export const makeCheckIdentity = ({ verifier, identities, phones, clock, settings }: CheckIdentityDeps) =>
  async function checkIdentity (
    claim: IdentityClaim,
    problems: FieldErrorCollector
  ): Promise<IdentityConfirmation | null> {
    if (settings.mode === 'off' || verifier === null) return null
    if (claim.verificationId === null) {
      if (settings.mode === 'required') problems.add(VERIFICATION_ID_FIELD, 'required')
      return null
    }
    const lookup = await verifier.lookUp(claim.verificationId)
    if (!lookup.found) {
      problems.add(VERIFICATION_ID_FIELD, REFUSALS[lookup.reason])
      return null
    }
    const now = clock.now()
    if (isStale(lookup.identity, now, settings.maxAgeMs)) {
      problems.add(VERIFICATION_ID_FIELD, REFUSALS.expired)
      return null
    }
    const { identity } = lookup
    for (const field of contradictions(claim.claimed, identity)) problems.add(field, 'identity_mismatch')
    // A verification proves the person holds the phone it was made on: no other number may be theirs.
    const verifiedMobile = identity.phone === null ? null : phones.parse(identity.phone)
    if (claim.mobile !== null && verifiedMobile !== claim.mobile) problems.add('mobile', 'identity_mismatch')
    if (identity.ci !== null) {
      const holders = await identities.holdersOfCi(identity.ci, claim.memberId)
      const held = await Promise.all(holders.map(id => identities.find(id)))
      if (held.some(other => other?.verificationId === identity.verificationId)) {
        problems.add(VERIFICATION_ID_FIELD, 'identity_used')
        return null
      }
      if (holders.length > 0 && settings.duplicates === 'refuse') problems.add(VERIFICATION_ID_FIELD, 'identity_taken')
    }
    return { ...identity, mobile: verifiedMobile, confirmedAt: now }
  }

export type CheckIdentity = ReturnType<typeof makeCheckIdentity>

/**
 * The profile a confirmed sign-up stores: the verified record decides each field it holds; a
 * claimed carrier the record agrees with is kept as the app wrote it (the app reads it back).
 */
export function confirmedProfile (claimed: ClaimedIdentity, identity: IdentityConfirmation | null): ClaimedIdentity {
  if (identity === null) return claimed
  return {
    name: identity.name,
    birth: identity.birth ?? claimed.birth,
    gender: identity.gender ?? claimed.gender,
    carrier: claimed.carrier ?? identity.carrier,
    foreigner: identity.foreigner ?? claimed.foreigner,
    uniqueKey: identity.ci ?? claimed.uniqueKey,
    uniqueInSite: identity.di ?? claimed.uniqueInSite
  }
}
