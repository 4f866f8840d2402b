import type { Gender, PhoneNumber } from './user.js'

/**
 * A person as a Korean identity-verification provider (PortOne) recorded them after a completed
 * verification: not what an app says, what the provider says. Fields the provider did not return
 * are null. `ci` (connecting information) is the same for one person at every Korean service;
 * `di` (duplication information) is the same for one person at this service only.
 */
export interface VerifiedIdentity {
  /** The provider's id of the verification, which the app sends us. */
  verificationId: string
  ci: string | null
  di: string | null
  name: string
  /** YYYY-MM-DD */
  birth: string | null
  gender: Extract<Gender, 'male' | 'female'> | null
  /** As the provider wrote it (Korean national format, digits only, is usual). */
  phone: string | null
  /** The provider's operator code: SKT, KT, LGU, SKT_MVNO, KT_MVNO or LGU_MVNO. */
  carrier: string | null
  foreigner: boolean | null
  verifiedAt: Date
}

/** A verification held by a member: what the provider recorded and when we accepted it. */
export interface IdentityConfirmation extends VerifiedIdentity {
  /** The verified phone number as the service stores numbers (E.164), or null. */
  mobile: PhoneNumber | null
  confirmedAt: Date
}

/** Why a verification id does not confirm anyone. */
export type IdentityRefusal = 'not_found' | 'not_verified' | 'other_store' | 'expired'

/** `off`: ids are ignored; `optional`: checked when sent; `required`: a sign-up must send one. */
export const IDENTITY_VERIFICATION_MODES = ['off', 'optional', 'required'] as const
export type IdentityVerificationMode = typeof IDENTITY_VERIFICATION_MODES[number]

/** What a verified CI that another account already confirmed does to a sign-up. */
export const DUPLICATE_IDENTITY_POLICIES = ['flag', 'refuse'] as const
export type DuplicateIdentityPolicy = typeof DUPLICATE_IDENTITY_POLICIES[number]

/** A verification older than this no longer confirms anyone (it was made for another sign-up). */
export function isStale (identity: Pick<VerifiedIdentity, 'verifiedAt'>, now: Date, maxAgeMs: number): boolean {
  return now.getTime() - identity.verifiedAt.getTime() > maxAgeMs
}

/** The profile fields an app claims about its member, as the phone door's sign-up sends them. */
export interface ClaimedIdentity {
  name: string | null
  birth: string | null
  gender: Gender | null
  carrier: string | null
  foreigner: boolean | null
  uniqueKey: string | null
  uniqueInSite: string | null
}

/** The claimed fields, by the phone door's names, that contradict the provider's record. */
export type ClaimedField = 'name' | 'birth' | 'gender' | 'carrier' | 'foreigner' | 'unique_key' | 'unique_in_site'

/**
 * The claims that contradict the verified record. A claim the app did not make (null) contradicts
 * nothing, nor does a field the provider did not return. Names compare after Unicode
 * normalisation, with case and runs of spaces ignored (a foreigner's name comes back in capitals);
 * carriers compare by network (`carrierNetwork`), and an unrecognised carrier text is no claim.
 */
export function contradictions (claimed: ClaimedIdentity, verified: VerifiedIdentity): ClaimedField[] {
  const fields: ClaimedField[] = []
  if (claimed.name !== null && normaliseName(claimed.name) !== normaliseName(verified.name)) fields.push('name')
  if (differs(claimed.birth, verified.birth)) fields.push('birth')
  if (differs(claimed.gender, verified.gender)) fields.push('gender')
  if (!carriersAgree(claimed.carrier, verified.carrier)) fields.push('carrier')
  if (differs(claimed.foreigner, verified.foreigner)) fields.push('foreigner')
  if (differs(claimed.uniqueKey, verified.ci)) fields.push('unique_key')
  if (differs(claimed.uniqueInSite, verified.di)) fields.push('unique_in_site')
  return fields
}

function differs<T> (claimed: T | null, verified: T | null): boolean {
  return claimed !== null && verified !== null && claimed !== verified
}

function normaliseName (name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleUpperCase('en')
}

/** The three Korean networks; an MVNO (알뜰폰) rides on one of them. */
export type CarrierNetwork = 'SKT' | 'KT' | 'LGU'

/**
 * The network and MVNO flag a carrier text names, from the provider's codes or the names apps
 * show ("SK telecom", "KTF", "LG U+", "SKT 알뜰폰"); null when the text names none.
 */
export function carrierNetwork (text: string): { network: CarrierNetwork | null, mvno: boolean } | null {
  const compact = text.normalize('NFKC').toUpperCase().replace(/[\s_\-+.]/gu, '')
  const mvno = /MVNO|알뜰/u.test(compact)
  const network: CarrierNetwork | null = /^(SK|에스케이)/u.test(compact)
    ? 'SKT'
    : /^(KT|케이티|OLLEH)/u.test(compact)
      ? 'KT'
      : /^(LG|엘지)/u.test(compact)
        ? 'LGU'
        : null
  if (network === null && !mvno) return null
  return { network, mvno }
}

/**
 * A claimed carrier agrees with the verified one when they name the same network; a claim of
 * "MVNO" alone agrees with any MVNO. A claim on an MVNO's host network agrees with that MVNO too
 * (apps often show the host's name).
 */
function carriersAgree (claimed: string | null, verified: string | null): boolean {
  if (claimed === null || verified === null) return true
  const said = carrierNetwork(claimed)
  const known = carrierNetwork(verified)
  if (said === null || known === null) return true
  if (said.network === null) return known.mvno
  if (said.mvno && !known.mvno) return false
  return said.network === known.network
}

/** A CI or DI as staff see it until they choose to reveal it: its first and last four characters. */
export function maskIdentityKey (key: string): string {
  if (key.length <= 8) return '•'.repeat(key.length)
  return `${key.slice(0, 4)}…${key.slice(-4)}`
}
