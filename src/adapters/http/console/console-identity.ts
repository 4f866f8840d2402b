import type { IdentityKeys, StaffIdentity } from '../../../application/identity/staff-identity.js'
import { NotFoundError } from '../../../domain/errors.js'
import { contradictions, type ClaimedField } from '../../../domain/identity.js'
import type { UserWithProfile } from '../../../domain/user.js'
import type { IdentityField, IdentityInput, IdentityRow } from './pages/identity-pages.js'

// The page's names of the domain's claimed fields (the phone door's names).
const FIELD_OF: Record<ClaimedField, IdentityField> = {
  name: 'name',
  birth: 'birth',
  gender: 'gender',
  carrier: 'carrier',
  foreigner: 'foreigner',
  unique_key: 'ci',
  unique_in_site: 'di'
}

/**
 * The member page's identity section: the staff view (keys masked), or with `revealed` the keys
 * the audited reveal returned. Which rows differ is the domain's `contradictions` (names and
 * carriers compared as the sign-up compares them); the number is the account's own against the
 * verified one; the keys as the view compared them in full.
 */
export async function identityFor (
  staffIdentity: StaffIdentity,
  user: UserWithProfile,
  mobileDisplay: string | null,
  revealed: IdentityKeys | null = null
): Promise<IdentityInput> {
  const view = await staffIdentity.view(user.id)
  if (view === null) throw new NotFoundError()
  const keys = revealed ?? view.keys
  const hasKeys = Object.values(keys).some(key => key !== null)
  const confirmation = view.confirmation
  if (confirmation === null) {
    return {
      confirmation: null,
      rows: [
        { field: 'ci', claimed: keys.claimedCi, confirmed: null, differs: false },
        { field: 'di', claimed: keys.claimedDi, confirmed: null, differs: false }
      ],
      revealed: revealed !== null,
      hasKeys
    }
  }
  const profile = user.profile
  const differing = new Set(
    contradictions(
      {
        name: profile?.name ?? null,
        birth: profile?.birth ?? null,
        gender: profile?.gender ?? null,
        carrier: profile?.carrier ?? null,
        foreigner: profile?.foreigner ?? null,
        // The keys are compared in full by the view (keysDiffer), never as masked.
        uniqueKey: null,
        uniqueInSite: null
      },
      { ...confirmation, ci: null, di: null }
    ).map(field => FIELD_OF[field])
  )
  if (view.keysDiffer.ci) differing.add('ci')
  if (view.keysDiffer.di) differing.add('di')
  const row = (field: IdentityField, claimed: IdentityRow['claimed'], confirmed: IdentityRow['confirmed']) =>
    ({ field, claimed, confirmed, differs: differing.has(field) })
  const mobileDiffers = user.mobile !== null && confirmation.mobile !== null && user.mobile !== confirmation.mobile
  return {
    confirmation: { confirmedAt: confirmation.confirmedAt, verifiedAt: confirmation.verifiedAt },
    rows: [
      row('name', profile?.name ?? null, confirmation.name),
      row('birth', profile?.birth ?? null, confirmation.birth),
      row('gender', profile?.gender ?? null, confirmation.gender),
      // The account's number was proved by a code; the provider's as it wrote it.
      {
        field: 'mobile',
        claimed: mobileDisplay,
        confirmed: confirmation.phone ?? confirmation.mobile,
        differs: mobileDiffers
      },
      row('carrier', profile?.carrier ?? null, confirmation.carrier),
      row('foreigner', profile?.foreigner ?? null, confirmation.foreigner),
      row('ci', keys.claimedCi, keys.confirmedCi),
      row('di', keys.claimedDi, keys.confirmedDi)
    ],
    revealed: revealed !== null,
    hasKeys
  }
}
