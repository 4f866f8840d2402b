import { parseEmail } from '../../domain/email.js'
import { InvalidCredentialsError, InvalidOtpError, ValidationError } from '../../domain/errors.js'
import type { StaffMember } from '../../domain/staff.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { Clock } from '../ports/system/clock.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { StaffRepository } from '../ports/records/staff-repository.js'
import type { StaffSession, StaffSessionStore } from '../ports/shared-state/staff-session-store.js'
import type { TotpAuthenticator } from '../ports/system/totp-authenticator.js'
import type { RecordAudit } from '../audit/record-audit.js'

export interface StaffSignInDeps {
  staff: StaffRepository
  sessions: StaffSessionStore
  hasher: PasswordHasher
  totp: TotpAuthenticator
  limits: AbuseLimits
  recordAudit: RecordAudit
  clock: Clock
}

/**
 * Where the request came from: the trail keys on the address. `device`: the (hashed) id in the
 * console browser's own cookie; once a sign-in from it succeeds, the limits count that browser by
 * it rather than by its address, so a staff member's browser stays known wherever it goes.
 */
export interface StaffClient { address: string, userAgent: string | null, device?: string | null }

/** A signed-in console visit: the session and who it belongs to, read fresh on every request. */
export interface StaffVisit { session: StaffSession, staff: StaffMember }

/** What the second-factor page shows before the first sign-in: the QR's URI and the secret typed by hand. */
export interface Enrolment { uri: string, secret: string }

/**
 * Staff sign in with a password, then a TOTP code, on one server-side session: the password
 * opens it at stage `second_factor`, the code promotes it under a new id (so an id seen before
 * sign-in is worthless after it). Limits are the members' rules: per (target, address) stops and
 * growing delays per target, for the email and for each staff member's second factor.
 */
export const makeStaffSignIn = ({ staff, sessions, hasher, totp, limits, recordAudit, clock }: StaffSignInDeps) => {
  const failed = async (member: StaffMember | null, client: StaffClient, stage: string) => {
    const actor =
      member === null
        ? { kind: 'system' as const }
        : { kind: 'staff' as const, staffId: member.id, email: member.email }
    await recordAudit(actor, 'staff.sign_in_failed', {
      targetStaffId: member?.id ?? null,
      address: client.address,
      detail: { stage }
    })
  }

  /** A staff member who may still sign in, or null. */
  const active = async (id: string) => {
    const member = await staff.findById(id)
    return member === null || member.disabled ? null : member
  }

  return {
    /** Step 1: email and password; answers the id of a session that may only finish the second factor. */
    async password (input: { email: string, password: string }, client: StaffClient): Promise<string> {
      let email: string
      try {
        email = parseEmail(input.email)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        email = input.email.trim().toLowerCase()
      }
      const target = `staff:${email}` as const
      // A browser known for this email is counted by its device id; any other by its address.
      const device = client.device === undefined || client.device === null ? null : `device:${client.device}`
      const who = device !== null && (await limits.isKnown(target, device)) ? device : client.address
      let found: StaffMember | null = null
      // Always hash, so the time taken does not tell which emails are staff.
      const right = await limits.guard(target, who, async () => {
        found = await staff.findByEmail(email)
        return (await hasher.verify(found?.passwordHash ?? null, input.password)) && found !== null && !found.disabled
      })
      const member = found as StaffMember | null // assigned inside the guard's attempt
      if (!right || member === null) {
        await failed(member, client, 'password')
        throw new InvalidCredentialsError()
      }
      if (device !== null && who !== device) await limits.recognise(target, device)
      return sessions.create({
        staffId: member.id,
        stage: 'second_factor',
        address: client.address,
        userAgent: client.userAgent
      })
    },

    /** What the second-factor page may show: the enrolment secret, only until it is confirmed. */
    async enrolment (sessionId: string): Promise<Enrolment | null> {
      const session = await sessions.get(sessionId)
      if (session === null || session.stage !== 'second_factor') return null
      const member = await active(session.staffId)
      if (member === null || member.totpEnrolled) return null
      return { uri: totp.uri(member.totpSecret, member.email), secret: member.totpSecret }
    },

    /**
     * Step 2: a TOTP code. Each 30 s step is good once per staff member (a code seen over a
     * shoulder cannot be replayed). Answers the new session id; null when the session is gone.
     */
    async secondFactor (sessionId: string, code: string, client: StaffClient): Promise<string | null> {
      const session = await sessions.get(sessionId)
      if (session === null || session.stage !== 'second_factor') return null
      const member = await active(session.staffId)
      if (member === null) {
        await sessions.delete(sessionId)
        return null
      }
      // Counted per sign-in session, not per address: a session that passed the password step
      // gets its own few tries, and a new address gives it none more.
      const right = await limits.guard(
        `staff-totp:${member.id}`,
        `session:${session.staffId}:${session.createdAt.getTime()}`,
        async () => {
          const step = totp.matchStep(member.totpSecret, code.replace(/\s/g, ''), clock.now())
          return step !== null && (await staff.useTotpStep(member.id, step))
        }
      )
      if (!right) {
        await failed(member, client, 'second_factor')
        throw new InvalidOtpError()
      }
      if (!member.totpEnrolled) await staff.confirmEnrolment(member.id)
      const promoted = await sessions.promote(sessionId)
      if (promoted !== null) {
        await recordAudit({ kind: 'staff', staffId: member.id, email: member.email }, 'staff.sign_in', {
          targetStaffId: member.id,
          address: client.address
        })
      }
      return promoted
    },

    /** The signed-in visit behind a session id, or null (no session, half signed in, or staff disabled). */
    async visit (sessionId: string): Promise<StaffVisit | null> {
      const session = await sessions.get(sessionId)
      if (session === null || session.stage !== 'signed_in') return null
      const member = await active(session.staffId)
      return member === null ? null : { session, staff: member }
    },

    /**
     * Whether a session exists at all (any stage): a form of the second-factor page checks its CSRF token against it.
     */
    session: (sessionId: string) => sessions.get(sessionId),

    async signOut (sessionId: string, client: StaffClient): Promise<void> {
      const session = await sessions.get(sessionId)
      await sessions.delete(sessionId)
      if (session === null) return
      const member = await staff.findById(session.staffId)
      if (member !== null) {
        await recordAudit({ kind: 'staff', staffId: member.id, email: member.email }, 'staff.sign_out', {
          targetStaffId: member.id,
          address: client.address
        })
      }
    }
  }
}

export type StaffSignIn = ReturnType<typeof makeStaffSignIn>
