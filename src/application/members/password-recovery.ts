import { passwordResetSubject } from '../../domain/code-subject.js'
import { parseEmail } from '../../domain/email.js'
import { CodeExpiredError, ValidationError } from '../../domain/errors.js'
import { assertPasswordPolicy } from '../../domain/password.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import { PROOF_CODE_RULES, type OneTimeCodes } from '../security/one-time-codes.js'
import type { Clock } from '../ports/system/clock.js'
import type { MailSender } from '../ports/outbound/mail-sender.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { EmailChangeRepository } from '../ports/records/email-change-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'

export interface PasswordRecoveryDeps {
  accounts: AccountRepository
  emailChanges: EmailChangeRepository
  hasher: PasswordHasher
  mail: MailSender
  texts: MemberTexts
  codes: OneTimeCodes
  limits: AbuseLimits
  endSessions: EndSessions
  recordAudit: RecordAudit
  clock: Clock
}

const MINUTES = PROOF_CODE_RULES.ttlSeconds / 60

/** A member who forgot their password proves they read its email, then sets a new one. */
export const makePasswordRecovery = ({
  accounts,
  emailChanges,
  hasher,
  mail,
  texts,
  codes,
  limits,
  endSessions,
  recordAudit,
  clock
}: PasswordRecoveryDeps) => ({
  /**
   * Mails a reset code to a known, active account with a password; anything else does nothing.
   * The route answers 202 before this runs, so neither its answer nor its timing tells which
   * addresses have accounts; failures (a cooldown, a cap, the mail server) surface only in the log.
   */
  async forgot (input: { email: string, client: string }): Promise<'sent' | 'ignored'> {
    let email: string
    try {
      email = parseEmail(input.email)
    } catch (error) {
      if (error instanceof ValidationError) return 'ignored'
      throw error
    }
    const user = await accounts.findByEmail(email)
    if (user === null || user.passwordHash === null || user.status !== 'approved') {
      // A code nobody receives, issued and counted against the caps all the same: a reset at this
      // address then meets a live code owned by the asking network, with its cooldown, caps and
      // tries, as at a member's address, so no answer of reset tells which addresses have accounts.
      await codes.send(
        passwordResetSubject(email),
        PROOF_CODE_RULES,
        { target: `mail:${email}`, client: input.client },
        async () => {}
      )
      return 'ignored'
    }
    await codes.send(
      passwordResetSubject(email),
      PROOF_CODE_RULES,
      { target: `mail:${email}`, client: input.client },
      async code => {
        await mail.send({ to: email, ...texts.passwordResetMail(user.language, code, MINUTES) })
      }
    )
    await recordAudit({ kind: 'member', memberId: user.id }, 'member.password_reset_requested', {
      memberId: user.id,
      address: input.client,
      detail: { door: 'email' }
    })
    return 'sent'
  },

  /** The mailed code and a new password; every token of the member ends. */
  async reset (input: { email: string, code: string, newPassword: string, client: string }): Promise<void> {
    const email = parseEmail(input.email)
    assertPasswordPolicy(input.newPassword, 'new_password') // before the code is spent
    await limits.guard(
      `mail:${email}`,
      input.client,
      () => codes.prove(passwordResetSubject(email), input, PROOF_CODE_RULES, 'mail'),
      'code'
    )
    const user = await accounts.findByEmail(email)
    if (user === null) throw new CodeExpiredError() // deleted since: the code proves nothing any more
    await accounts.setPassword(user.id, await hasher.hash(input.newPassword))
    // The mailed code proved the member reads this address. If nothing had proved it before, who
    // else added a way in meanwhile (a number, another address) is not the owner: those go, with
    // every session (account pre-hijacking), and the owner is told what went.
    const claimed = await emailChanges.claimByEmail(user.id, clock.now())
    await endSessions.everywhere(user.id)
    await recordAudit({ kind: 'member', memberId: user.id }, 'member.password_reset', {
      memberId: user.id,
      address: input.client,
      detail: { door: 'email' }
    })
    if (claimed !== null && (claimed.removedMobile !== null || claimed.removedPendingEmail !== null)) {
      await recordAudit({ kind: 'member', memberId: user.id }, 'member.sign_in_methods_removed', {
        memberId: user.id,
        address: input.client,
        detail: { mobile: claimed.removedMobile !== null, pending_email: claimed.removedPendingEmail !== null }
      })
      await mail
        .send({
          to: email,
          ...texts.signInMethodsRemovedMail(user.language, {
            mobile: claimed.removedMobile,
            pendingEmail: claimed.removedPendingEmail
          })
        })
        .catch(() => {})
    }
  }
})

export type PasswordRecovery = ReturnType<typeof makePasswordRecovery>
