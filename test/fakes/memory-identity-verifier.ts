import type { IdentityLookup, IdentityVerifier } from '../../src/application/ports/outbound/identity-verifier.js'
import { IdentityUnavailableError } from '../../src/domain/errors.js'
import type { VerifiedIdentity } from '../../src/domain/identity.js'

/** A memory identity verifier, with what tests set up and read on it. */
export interface MemoryIdentityVerifier extends IdentityVerifier {
  /** A completed verification of this person, under its verificationId. */
  add (identity: VerifiedIdentity): void
  /** A verification started and never completed (or failed): not_verified. */
  addPending (verificationId: string): void
  /** A verification another store made: other_store. */
  addOtherStore (verificationId: string): void
  /** 'unavailable': every look-up fails as a provider outage (or its deadline) would, until set back to null. */
  failWith (failure: 'unavailable' | null): void
  /** Look-ups asked for, answered or not. */
  readonly lookUps: number
}

/** Answers look-ups from what the test added, as PortOne would for this store. */
export function createMemoryIdentityVerifier (): MemoryIdentityVerifier {
  const answers = new Map<string, IdentityLookup>()
  let failure: 'unavailable' | null = null
  let lookUps = 0
  return {
    get lookUps () { return lookUps },

    add (identity) {
      // A copy: a test that changes its object afterwards does not change what the provider recorded.
      answers.set(identity.verificationId, { found: true, identity: copy(identity) })
    },
    addPending (verificationId) { answers.set(verificationId, { found: false, reason: 'not_verified' }) },
    addOtherStore (verificationId) { answers.set(verificationId, { found: false, reason: 'other_store' }) },
    failWith (next) { failure = next },

    async lookUp (verificationId) {
      lookUps++
      if (failure === 'unavailable') throw new IdentityUnavailableError('memory identity verifier set to fail')
      const answer = answers.get(verificationId) ?? { found: false, reason: 'not_found' }
      // Each look-up its own copy, as each answer from the provider is a fresh record.
      return answer.found ? { found: true, identity: copy(answer.identity) } : answer
    }
  }
}

function copy (identity: VerifiedIdentity): VerifiedIdentity {
  return { ...identity, verifiedAt: new Date(identity.verifiedAt) }
}
