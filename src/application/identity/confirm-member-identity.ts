import { DuplicateValueError, FieldErrorCollector, NotFoundError, ValidationError } from '../../domain/errors.js'
import type { DescribeMember, MemberView } from '../members/member-view.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { IdentityConfirmations } from '../ports/records/identity-confirmations.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { Principal } from '../sign-in/authenticate.js'
import { VERIFICATION_ID_FIELD, type CheckIdentity } from './check-identity.js'

export interface ConfirmMemberIdentityDeps {
  accounts: AccountRepository
  identities: IdentityConfirmations
  checkIdentity: CheckIdentity
  describeMember: DescribeMember
  recordAudit: RecordAudit
  /** False when IDENTITY_VERIFICATION is off: there is nothing to confirm with. */
  enabled: boolean
}

/**
 * A member who signed up before the app sent verification ids attaches one later, under the
 * sign-up's rules (check-identity.ts): the record must agree with the profile and the number,
 * the id must be unused. Sending the id already attached answers as the first time did.
 */
export const makeConfirmMemberIdentity = (deps: ConfirmMemberIdentityDeps) =>
  async function confirmMemberIdentity (
    principal: Principal,
    input: { verificationId: string, client: string }
  ): Promise<MemberView> {
    const { accounts, identities, checkIdentity, describeMember, recordAudit } = deps
    if (!deps.enabled) throw new NotFoundError()
    const member = await accounts.findProfileById(principal.userId)
    // An email-door account has no profile to confirm (the phone door's sign-up makes one).
    if (member === null || member.profile === null) throw new NotFoundError()
    const held = await identities.find(member.id)
    if (held !== null) {
      if (held.verificationId === input.verificationId) return await describeMember.describe(member)
      throw ValidationError.of(VERIFICATION_ID_FIELD, 'identity_confirmed')
    }
    const { profile } = member
    const problems = new FieldErrorCollector()
    const identity = await checkIdentity({
      verificationId: input.verificationId,
      claimed: {
        name: profile.name,
        birth: profile.birth,
        gender: profile.gender,
        carrier: profile.carrier,
        foreigner: profile.foreigner,
        uniqueKey: profile.uniqueKey,
        uniqueInSite: profile.uniqueInSite
      },
      mobile: member.mobile,
      memberId: member.id
    }, problems)
    problems.throwIfAny()
    // checkIdentity returns null without a problem only when the mode is off, refused above.
    if (identity === null) throw new NotFoundError()
    try {
      const attached = await identities.attach(member.id, identity, identity.carrier)
      if (!attached) throw new NotFoundError()
    } catch (error) {
      if (error instanceof DuplicateValueError) throw ValidationError.of(VERIFICATION_ID_FIELD, 'identity_used')
      throw error
    }
    await recordAudit({ kind: 'member', memberId: member.id }, 'member.identity_confirmed', {
      memberId: member.id,
      address: input.client,
      detail: { at: 'later', verifiedAt: identity.verifiedAt.toISOString() }
    })
    const updated = await accounts.findProfileById(member.id)
    if (updated === null) throw new NotFoundError()
    return await describeMember.describe(updated)
  }
