import { maskIdentityKey, type IdentityConfirmation } from '../../domain/identity.js'
import { NotFoundError, ServiceUnavailableError } from '../../domain/errors.js'
import type { IdentityConfirmations } from '../ports/records/identity-confirmations.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { ActingStaff } from '../staff/staff-admin.js'

export interface StaffIdentityDeps {
  identities: IdentityConfirmations
  accounts: AccountRepository
  recordAudit: RecordAudit
}

/** The keys of a person (CI, DI): claimed by the app on the profile, and confirmed by the provider. */
export interface IdentityKeys {
  claimedCi: string | null
  claimedDi: string | null
  confirmedCi: string | null
  confirmedDi: string | null
}

/** What staff see of a member's identity: the confirmation with its keys masked, and the claimed keys masked. */
export interface StaffIdentityView {
  confirmation: Omit<IdentityConfirmation, 'ci' | 'di'> | null
  keys: IdentityKeys
  /**
   * Whether the claimed and the confirmed key differ, compared in full (two masked keys may look
   * alike); false when either is missing.
   */
  keysDiffer: { ci: boolean, di: boolean }
}

function withoutKeys ({ ci: _ci, di: _di, ...rest }: IdentityConfirmation): Omit<IdentityConfirmation, 'ci' | 'di'> {
  return rest
}

const differ = (a: string | null, b: string | null): boolean => a !== null && b !== null && a !== b

const mask = (key: string | null): string | null => key === null ? null : maskIdentityKey(key)

/**
 * A person's CI and DI are read by staff only masked; revealing them is a choice the trail
 * records before the keys are returned (a failed write reveals nothing).
 */
export const makeStaffIdentity = ({ identities, accounts, recordAudit }: StaffIdentityDeps) => {
  type Read = { confirmation: IdentityConfirmation | null, keys: IdentityKeys } | null
  const read = async (memberId: string): Promise<Read> => {
    const member = await accounts.findProfileById(memberId)
    if (member === null) return null
    const confirmation = await identities.find(memberId)
    const keys: IdentityKeys = {
      claimedCi: member.profile?.uniqueKey ?? null,
      claimedDi: member.profile?.uniqueInSite ?? null,
      confirmedCi: confirmation?.ci ?? null,
      confirmedDi: confirmation?.di ?? null
    }
    return { confirmation, keys }
  }

  return {
    /** The member's identity with every key masked; null when there is no such member. */
    async view (memberId: string): Promise<StaffIdentityView | null> {
      const found = await read(memberId)
      if (found === null) return null
      const { confirmation, keys } = found
      return {
        confirmation: confirmation === null ? null : withoutKeys(confirmation),
        keysDiffer: { ci: differ(keys.claimedCi, keys.confirmedCi), di: differ(keys.claimedDi, keys.confirmedDi) },
        keys: {
          claimedCi: mask(keys.claimedCi),
          claimedDi: mask(keys.claimedDi),
          confirmedCi: mask(keys.confirmedCi),
          confirmedDi: mask(keys.confirmedDi)
        }
      }
    },

    /** The keys in full, after `member.identity_revealed` is on the trail. */
    async reveal (by: ActingStaff, memberId: string): Promise<IdentityKeys> {
      const found = await read(memberId)
      if (found === null) throw new NotFoundError()
      try {
        await recordAudit(by.actor, 'member.identity_revealed', { memberId, address: by.address })
      } catch {
        // Not on the trail, not revealed: the page says to try again.
        throw new ServiceUnavailableError()
      }
      return found.keys
    }
  }
}

export type StaffIdentity = ReturnType<typeof makeStaffIdentity>
