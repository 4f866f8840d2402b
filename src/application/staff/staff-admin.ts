import { NotFoundError, ValidationError } from '../../domain/errors.js'
import type { StaffMember } from '../../domain/staff.js'
import type { AuditActor } from '../ports/records/audit-log.js'
import type { StaffRepository } from '../ports/records/staff-repository.js'
import type { StaffSessionStore } from '../ports/shared-state/staff-session-store.js'
import type { TotpAuthenticator } from '../ports/system/totp-authenticator.js'
import type { RecordAudit } from '../audit/record-audit.js'

export interface StaffAdminDeps {
  staff: StaffRepository
  sessions: StaffSessionStore
  totp: TotpAuthenticator
  recordAudit: RecordAudit
}

/** Who acts, as the trail records them, and from where. */
export interface ActingStaff { actor: Extract<AuditActor, { kind: 'staff' }>, address: string }

/**
 * The operator at the command line (`node dist/cli.js staff ...`): whoever may run commands where
 * the service runs, recorded as the system, from no network address.
 */
export interface ActingOperator { actor: Extract<AuditActor, { kind: 'system' }>, address: null }

/** Who may act on staff accounts: an admin in the console, or the operator at the command line. */
export type StaffAdminActor = ActingStaff | ActingOperator

/**
 * What admins do to staff accounts. Disabling and resetting the second factor end every session
 * of that member at once; the role check is the HTTP adapter's (admins only).
 */
export const makeStaffAdmin = ({ staff, sessions, totp, recordAudit }: StaffAdminDeps) => {
  const other = async (by: StaffAdminActor, id: string): Promise<StaffMember> => {
    // An admin who disables or resets themselves locks the console's last door by mistake.
    if (by.actor.kind === 'staff' && id === by.actor.staffId) throw ValidationError.of('staff', 'invalid')
    const member = await staff.findById(id)
    if (member === null) throw new NotFoundError()
    return member
  }

  return {
    list: () => staff.list(),

    async setDisabled (by: StaffAdminActor, id: string, disabled: boolean): Promise<void> {
      await other(by, id)
      if (!await staff.setDisabled(id, disabled)) throw new NotFoundError()
      // After the write: a sign-in racing it may create a session, which the visit check refuses.
      if (disabled) await sessions.deleteAllOf(id)
      await recordAudit(by.actor, disabled ? 'staff.disabled' : 'staff.enabled', {
        targetStaffId: id,
        address: by.address
      })
    },

    /** A new secret; the member enrols again (the QR shows) at the next sign-in. */
    async resetSecondFactor (by: StaffAdminActor, id: string): Promise<void> {
      await other(by, id)
      if (!await staff.resetSecondFactor(id, totp.newSecret())) throw new NotFoundError()
      await sessions.deleteAllOf(id)
      await recordAudit(by.actor, 'staff.second_factor_reset', { targetStaffId: id, address: by.address })
    }
  }
}

export type StaffAdmin = ReturnType<typeof makeStaffAdmin>
