import { DuplicateValueError, FieldErrorCollector, ValidationError } from '../../domain/errors.js'
import { parseNewEmail } from '../../domain/email.js'
import { assertPasswordPolicy } from '../../domain/password.js'
import { parseStaffRole, type StaffMember } from '../../domain/staff.js'
import type { AuditActor } from '../ports/records/audit-log.js'
import type { Clock } from '../ports/system/clock.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { StaffRepository } from '../ports/records/staff-repository.js'
import type { TotpAuthenticator } from '../ports/system/totp-authenticator.js'
import type { RecordAudit } from '../audit/record-audit.js'

export interface AddStaffDeps {
  staff: StaffRepository
  hasher: PasswordHasher
  totp: TotpAuthenticator
  clock: Clock
  recordAudit: RecordAudit
}

/**
 * `mustChangePassword`: the password was generated, not chosen (the command line without one):
 * the console then opens only the change-password page after the first sign-in. False when left out.
 */
export interface AddStaffInput { email: string, role: string, password: string, mustChangePassword?: boolean }

/** The new member, and the URI an authenticator app enrols from (its secret is `member.totpSecret`). */
export interface AddedStaff { member: StaffMember, totpUri: string }

/**
 * Creates a staff account with a fresh TOTP secret, not yet enrolled, and records who added it.
 * Every field problem is reported at once: `email` invalid or taken (`email_taken`), `role`
 * not one of STAFF_ROLES, `password` too short.
 */
export const makeAddStaff = ({ staff, hasher, totp, clock, recordAudit }: AddStaffDeps) =>
  async function addStaff (input: AddStaffInput, actor: AuditActor): Promise<AddedStaff> {
    const problems = new FieldErrorCollector()
    const email = problems.attempt(() => parseNewEmail(input.email))
    const role = problems.attempt(() => parseStaffRole(input.role))
    problems.attempt(() => assertPasswordPolicy(input.password))
    problems.throwIfAny()

    let member: StaffMember
    try {
      member = await staff.create({
        email: email!,
        passwordHash: await hasher.hash(input.password),
        role: role!,
        totpSecret: totp.newSecret(),
        mustChangePassword: input.mustChangePassword === true,
        createdAt: clock.now()
      })
    } catch (error) {
      if (error instanceof DuplicateValueError && error.field === 'email') {
        throw ValidationError.of('email', 'email_taken')
      }
      throw error
    }
    await recordAudit(actor, 'staff.added', { targetStaffId: member.id, detail: { role: member.role } })
    return { member, totpUri: totp.uri(member.totpSecret, member.email) }
  }

export type AddStaff = ReturnType<typeof makeAddStaff>
