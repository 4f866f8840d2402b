import { emailVerificationSubject } from '../../domain/code-subject.js'
import { parseEmail, parseNewEmail } from '../../domain/email.js'
import {
  CodeExpiredError,
  DuplicateValueError,
  EmailTakenError,
  InvalidCredentialsError,
  NotFoundError,
  ValidationError
} from '../../domain/errors.js'
import type { Language } from '../../domain/language.js'
import { assertPasswordPolicy } from '../../domain/password.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { Principal } from '../sign-in/authenticate.js'
import { PROOF_CODE_RULES, type OneTimeCodes } from '../security/one-time-codes.js'
import type { Clock } from '../ports/system/clock.js'
import type { MailSender } from '../ports/outbound/mail-sender.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { EmailChangeRepository } from '../ports/records/email-change-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import { requireRecentSignIn } from '../sign-in/recent-sign-in.js'
import type { IssueUndo } from './sign-in-undo.js'

/** `off`: no verification at all; `optional`: offered (login works unverified); `required`: login needs it. */
export const EMAIL_VERIFICATION_MODES = ['off', 'optional', 'required'] as const
export type EmailVerificationMode = typeof EMAIL_VERIFICATION_MODES[number]

export interface MemberEmailDeps {
  accounts: AccountRepository
  emailChanges: EmailChangeRepository
  hasher: PasswordHasher
  mail: MailSender
  texts: MemberTexts
  codes: OneTimeCodes
  limits: AbuseLimits
  clock: Clock
  recordAudit: RecordAudit
  issueUndo: IssueUndo
  mode: EmailVerificationMode
}

const MINUTES = PROOF_CODE_RULES.ttlSeconds / 60

/**
 * A member proves they read mail at their address, adds an address (a phone member: then they
 * sign in through the email door too) or moves to another. A new address takes effect only once
 * its mailed code comes back, so nobody can take over an address they cannot read; the old
 * address is told afterwards, with a code that undoes the change (sign-in-undo.ts). Asking for a
 * change needs a recent proof of who asks: the current password, or for a member who has none
 * (a phone member adding an address) a sign-in less than 10 minutes old (a code to their number).
 */
export const makeMemberEmail = ({
  accounts,
  emailChanges,
  hasher,
  mail,
  texts,
  codes,
  limits,
  clock,
  recordAudit,
  issueUndo,
  mode
}: MemberEmailDeps) => {
  const sendCode = async (member: { id: string, language: Language }, address: string, client: string) => {
    await codes.send(
      emailVerificationSubject(member.id, address),
      PROOF_CODE_RULES,
      { target: `mail:${address}`, client },
      async code => {
        await mail.send({ to: address, ...texts.emailVerificationMail(member.language, code, MINUTES) })
      }
    )
    await recordAudit({ kind: 'member', memberId: member.id }, 'member.email_code_sent', {
      memberId: member.id,
      address: client,
      detail: { door: 'email' }
    })
  }

  /**
   * Completes what a code (or, with verification off, the request itself) proved: `pending`, the
   * address being moved to (null: the current one is being proved).
   */
  const confirm = async (
    member: { id: string, language: Language, email: string | null },
    pending: string | null,
    client: string
  ) => {
    // The way back exists before the change does: no address is replaced without an undo code.
    const undo =
      member.email !== null && pending !== null && pending !== member.email
        ? await issueUndo(member.id, 'email', member.email)
        : null
    let result: { email: string, previous: string | null } | null
    try {
      result = await emailChanges.confirmEmail(member.id, clock.now())
    } catch (error) {
      if (error instanceof DuplicateValueError) throw new EmailTakenError()
      throw error
    }
    if (result === null) throw new NotFoundError()
    const changed = result.previous !== null
    await recordAudit(
      { kind: 'member', memberId: member.id },
      changed ? 'member.email_changed' : 'member.email_verified',
      { memberId: member.id, address: client, detail: { door: 'email' } }
    )
    if (result.previous !== null) {
      // Made here only if the address changed under us since it was read (two confirmations at once).
      const notice =
        undo !== null && result.previous === member.email ? undo : await issueUndo(member.id, 'email', result.previous)
      // The change stands whether or not the notice arrives.
      await mail
        .send({ to: result.previous, ...texts.emailChangedMail(member.language, result.email, notice) })
        .catch(() => {})
    }
  }

  /** The code, under the guard (its tries are the code's own: one-time-codes.ts). */
  const prove = (userId: string, address: string, code: string, client: string) =>
    limits.guard(
      `mail:${address}`,
      client,
      () => codes.prove(emailVerificationSubject(userId, address), { code, client }, PROOF_CODE_RULES, 'mail'),
      'code'
    )

  /**
   * Verifies the current address even when a change to another is pending (that one keeps waiting
   * for its own code).
   */
  const confirmCurrent = async (member: { id: string }, client: string) => {
    await emailChanges.markEmailVerified(member.id, clock.now())
    await recordAudit({ kind: 'member', memberId: member.id }, 'member.email_verified', {
      memberId: member.id,
      address: client,
      detail: { door: 'email' }
    })
  }

  const memberOf = async (principal: Principal) => {
    const user = await accounts.findById(principal.userId)
    if (user === null) throw new NotFoundError()
    return user
  }

  return {
    mode,

    /** Sends a code to the address being proved: the pending one, else the current one. */
    async requestVerification (principal: Principal, client: string): Promise<void> {
      if (mode === 'off') throw new NotFoundError()
      const user = await memberOf(principal)
      const address = (await emailChanges.findPendingEmail(user.id)) ?? user.email
      if (address === null) throw ValidationError.of('email', 'required')
      await sendCode(user, address, client)
    },

    async verify (principal: Principal, code: string, client: string): Promise<void> {
      if (mode === 'off') throw new NotFoundError()
      const user = await memberOf(principal)
      const pending = await emailChanges.findPendingEmail(user.id)
      const address = pending ?? user.email
      if (address === null) throw ValidationError.of('email', 'required')
      await prove(user.id, address, code, client)
      await confirm(user, pending, client)
    },

    /**
     * The same without a token, naming the address: a member whose login EMAIL_VERIFICATION=required
     * refused has no token to call `verify` with. Only the current address is proved this way.
     */
    async verifyAddress (input: { email: string, code: string, client: string }): Promise<void> {
      if (mode === 'off') throw new NotFoundError()
      const email = parseEmail(input.email)
      const user = await accounts.findByEmail(email)
      if (user === null) throw new CodeExpiredError() // as for any address no code was sent to
      await prove(user.id, email, input.code, input.client)
      await confirmCurrent(user, input.client)
    },

    /**
     * Adds an address (the password given becomes the member's; only within 10 minutes of a
     * sign-in, since it proves nothing) or changes it (the password must be the current one). The
     * code goes to the new address; with verification off the change is made at once.
     */
    async change (principal: Principal, input: { email: string, password: string, client: string }): Promise<void> {
      const email = parseNewEmail(input.email)
      const user = await memberOf(principal)
      let stagedHash: string | null = null
      if (user.passwordHash === null) {
        requireRecentSignIn(principal, clock)
        assertPasswordPolicy(input.password)
        stagedHash = await hasher.hash(input.password)
      } else {
        const { passwordHash } = user
        if (
          !(await limits.guard(`mail:${user.email ?? email}`, input.client, () =>
            hasher.verify(passwordHash, input.password)
          ))
        ) { throw new InvalidCredentialsError() }
      }
      try {
        await emailChanges.stageEmail(user.id, email, stagedHash)
      } catch (error) {
        if (error instanceof DuplicateValueError) throw new EmailTakenError()
        throw error
      }
      if (mode === 'off') await confirm(user, email, input.client)
      else await sendCode(user, email, input.client)
    },

    /** For a login under `required`: whether the member still has to prove the address (a code is sent then). */
    async blocksLogin (
      user: { id: string, email: string | null, emailVerifiedAt: Date | null, language: Language },
      client: string
    ): Promise<boolean> {
      if (mode !== 'required' || user.emailVerifiedAt !== null || user.email === null) return false
      // A fresh code with the refusal; inside the cooldown the one already sent still works.
      await sendCode(user, user.email, client).catch(() => {})
      return true
    }
  }
}

export type MemberEmail = ReturnType<typeof makeMemberEmail>
