import { InvalidCredentialsError, InvalidOtpError, NotFoundError, ValidationError } from '../../domain/errors.js'
import { assertPasswordPolicy } from '../../domain/password.js'
import type { StaffMember } from '../../domain/staff.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { AuditActor } from '../ports/records/audit-log.js'
import type { StaffRepository } from '../ports/records/staff-repository.js'
import type { StaffSessionStore } from '../ports/shared-state/staff-session-store.js'
import type { Clock } from '../ports/system/clock.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { RandomSource } from '../ports/system/random-source.js'
import type { TotpAuthenticator } from '../ports/system/totp-authenticator.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { ActingStaff } from './staff-admin.js'
import type { StaffClient } from './staff-sign-in.js'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** 24 base64url characters: 144 random bits, as many as staff:add's 18 random bytes. */
const ONE_TIME_PASSWORD_LENGTH = 24

/** Who resets a password: an admin in the console, or the operator at the command line (the system). */
export type PasswordResetter = ActingStaff | { actor: Extract<AuditActor, { kind: 'system' }>, address: null }

/** The command line's resetter: the trail records the system, from no address. */
export const BY_OPERATOR: PasswordResetter = { actor: { kind: 'system' }, address: null }

/** What a reset answers, once: the password is nowhere else (only its hash is stored). */
export interface PasswordReset { staffId: string, email: string, oneTimePassword: string }

export interface ResetStaffPasswordDeps {
  staff: StaffRepository
  sessions: StaffSessionStore
  hasher: PasswordHasher
  random: RandomSource
  recordAudit: RecordAudit
}

export interface StaffPasswordsDeps extends ResetStaffPasswordDeps {
  totp: TotpAuthenticator
  limits: AbuseLimits
  clock: Clock
}

/**
 * An admin's (or the operator's) reset: a generated one-time password, the account marked
 * must-change in the same write, every console session of that member ended after it (a sign-in
 * racing the write then holds the one-time password, which opens only the change page), and an
 * audit entry. An admin resets their own password by changing it, never here: that would skip
 * the current password and the second factor.
 */
export const makeResetStaffPassword = ({ staff, sessions, hasher, random, recordAudit }: ResetStaffPasswordDeps) =>
  async function resetStaffPassword (by: PasswordResetter, staffId: string): Promise<PasswordReset> {
    if (by.actor.kind === 'staff' && staffId === by.actor.staffId) throw ValidationError.of('staff', 'invalid')
    const member = await staff.findById(staffId)
    if (member === null) throw new NotFoundError()
    const oneTimePassword = random.characters(BASE64URL, ONE_TIME_PASSWORD_LENGTH)
    if (!(await staff.setPassword(member.id, await hasher.hash(oneTimePassword), true))) throw new NotFoundError()
    await sessions.deleteAllOf(member.id)
    await recordAudit(by.actor, 'staff.password_reset', { targetStaffId: member.id, address: by.address })
    return { staffId: member.id, email: member.email, oneTimePassword }
  }

/**
 * Staff passwords: a signed-in member changes their own (`change`), an admin or the operator
 * resets another's (`reset`, see makeResetStaffPassword).
 */
export const makeStaffPasswords = (deps: StaffPasswordsDeps) => {
  const { staff, sessions, hasher, totp, limits, recordAudit, clock } = deps
  const actorOf = (member: StaffMember) => ({ kind: 'staff' as const, staffId: member.id, email: member.email })

  const failed = async (member: StaffMember, client: StaffClient, stage: 'password' | 'second_factor') =>
    recordAudit(actorOf(member), 'staff.password_change_failed', {
      targetStaffId: member.id,
      address: client.address,
      detail: { stage }
    })

  return {
    /**
     * A signed-in member replaces their password, proving the current one and a TOTP code (a
     * session left open on a shared screen must not be enough to lock its owner out). The new
     * one follows the staff rule (8 characters or more) and differs from the current one; both
     * are checked before any guess is spent, so a refused new password costs no code. Wrong
     * passwords count as guesses at the staff email, wrong codes at the member's second factor,
     * as at sign-in, and each TOTP step is good once. Then every session of the member ends,
     * this one too, and a fresh signed-in session starts for this browser: the change proved
     * both factors as a sign-in does. Answers the fresh session's id.
     */
    async change (
      staffId: string,
      input: { current: string, next: string, code: string },
      client: StaffClient
    ): Promise<string> {
      const member = await staff.findById(staffId)
      if (member === null || member.disabled) throw new InvalidCredentialsError()
      assertPasswordPolicy(input.next, 'new_password')
      if (input.next === input.current) throw ValidationError.of('new_password', 'invalid')

      const passwordRight = await limits.guard(`staff:${member.email}`, client.address, () =>
        hasher.verify(member.passwordHash, input.current)
      )
      if (!passwordRight) {
        await failed(member, client, 'password')
        throw new InvalidCredentialsError()
      }
      const codeRight = await limits.guard(`staff-totp:${member.id}`, client.address, async () => {
        const step = totp.matchStep(member.totpSecret, input.code.replace(/\s/g, ''), clock.now())
        return step !== null && (await staff.useTotpStep(member.id, step))
      })
      if (!codeRight) {
        await failed(member, client, 'second_factor')
        throw new InvalidOtpError()
      }

      if (!(await staff.setPassword(member.id, await hasher.hash(input.next), false))) {
        throw new InvalidCredentialsError()
      }
      // After the write, as a reset does: every session, this browser's too, ends at once.
      await sessions.deleteAllOf(member.id)
      const session = await sessions.create({
        staffId: member.id,
        stage: 'signed_in',
        address: client.address,
        userAgent: client.userAgent
      })
      await recordAudit(actorOf(member), 'staff.password_changed', {
        targetStaffId: member.id,
        address: client.address
      })
      return session
    },

    reset: makeResetStaffPassword(deps)
  }
}

export type StaffPasswords = ReturnType<typeof makeStaffPasswords>
