import { mobileChangeSubject } from '../../domain/code-subject.js'
import {
  DuplicateValueError,
  EmailNotVerifiedError,
  InvalidCredentialsError,
  NotFoundError,
  ReauthenticationRequiredError,
  ValidationError
} from '../../domain/errors.js'
import type { PhoneNumber, User } from '../../domain/user.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { Principal } from '../sign-in/authenticate.js'
import type { EmailVerificationMode } from './member-email.js'
import type { DescribeMember, MemberView } from './member-view.js'
import { PROOF_CODE_RULES, type OneTimeCodes } from '../security/one-time-codes.js'
import type { OtpSettings } from '../security/otp-settings.js'
import type { Clock } from '../ports/system/clock.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import type { SmsSender } from '../ports/outbound/sms-sender.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import { signedInRecently } from '../sign-in/recent-sign-in.js'
import type { IssueUndo } from './sign-in-undo.js'
import { smsUnreachable } from '../security/sms-reach.js'

export interface ChangeMobileDeps {
  accounts: AccountRepository
  phones: PhoneParser
  sms: SmsSender
  texts: MemberTexts
  codes: OneTimeCodes
  limits: AbuseLimits
  describeMember: DescribeMember
  recordAudit: RecordAudit
  clock: Clock
  hasher: PasswordHasher
  issueUndo: IssueUndo
  settings: Pick<OtpSettings, 'testCodes' | 'allowedCountries'>
  emailVerification: EmailVerificationMode
}

const MINUTES = PROOF_CODE_RULES.ttlSeconds / 60

/**
 * A signed-in member adds a number (an email member: then they sign in through the phone door
 * too, approved as they are) or moves to a new one, proving they hold it with a texted code.
 * Both steps need a recent proof of who asks: a sign-in less than 10 minutes old or, for a
 * member who has one, the current password. The old number is told once the change is made,
 * with a code that undoes it (sign-in-undo.ts).
 */
export const makeChangeMobile = ({
  accounts,
  phones,
  sms,
  texts,
  codes,
  limits,
  describeMember,
  recordAudit,
  clock,
  hasher,
  issueUndo,
  settings,
  emailVerification
}: ChangeMobileDeps) => {
  /**
   * The owner of an address owns the account alone: an account whose email nobody has proven
   * gains no number until it is, so someone who signed up with another person's address cannot
   * attach their own phone and wait (account pre-hijacking). With EMAIL_VERIFICATION=off nothing
   * is ever proven, and the operator has chosen so.
   */
  const member = async (principal: Principal): Promise<User> => {
    const user = await accounts.findById(principal.userId)
    if (user === null) throw new NotFoundError()
    if (emailVerification !== 'off' && user.email !== null && user.emailVerifiedAt === null) {
      throw new EmailNotVerifiedError()
    }
    return user
  }

  /**
   * A recent sign-in, or the member's current password: a stolen access token alone is neither.
   * Checked before the number is looked at, so a stale token learns nothing about numbers either.
   */
  const proveRecent = async (
    principal: Principal,
    user: User,
    password: string | undefined,
    client: string
  ): Promise<void> => {
    if (signedInRecently(principal, clock)) return
    const { passwordHash, email } = user
    if (password === undefined || passwordHash === null || email === null) throw new ReauthenticationRequiredError()
    if (!(await limits.guard(`mail:${email}`, client, () => hasher.verify(passwordHash, password)))) {
      throw new InvalidCredentialsError()
    }
  }

  /** The number, parsed, textable and not another account's. */
  const wanted = async (principal: Principal, mobile: string): Promise<PhoneNumber> => {
    const phone = phones.parse(mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    const unreachable = smsUnreachable(phones, settings.allowedCountries, phone)
    if (unreachable !== null) throw ValidationError.of('mobile', unreachable)
    const holder = await accounts.findByMobile(phone)
    if (holder !== null && holder.id !== principal.userId) throw ValidationError.of('mobile', 'mobile_taken')
    return phone
  }

  return {
    async request (principal: Principal, input: { mobile: string, password?: string, client: string }): Promise<void> {
      const user = await member(principal)
      await proveRecent(principal, user, input.password, input.client)
      const phone = await wanted(principal, input.mobile)
      await codes.send(
        mobileChangeSubject(user.id, phone),
        PROOF_CODE_RULES,
        { target: `tel:${phone}`, client: input.client },
        async code => {
          await sms.send(phone, texts.otpSms(user.language, code, MINUTES))
        },
        settings.testCodes.get(phone)
      )
      await recordAudit({ kind: 'member', memberId: user.id }, 'member.mobile_code_sent', {
        memberId: user.id,
        address: input.client,
        detail: { door: 'phone' }
      })
    },

    async verify (
      principal: Principal,
      input: { mobile: string, code: string, password?: string, client: string }
    ): Promise<MemberView> {
      const before = await member(principal)
      await proveRecent(principal, before, input.password, input.client)
      const phone = await wanted(principal, input.mobile)
      // A texted code, refused in the phone door's words, as the sign-in's are.
      await limits.guard(
        `tel:${phone}`,
        input.client,
        () => codes.prove(mobileChangeSubject(principal.userId, phone), input, PROOF_CODE_RULES, 'sms'),
        'code'
      )
      const previous = before.mobile
      // The way back exists before the change does: no number is replaced without an undo code.
      const undo = previous !== null && previous !== phone ? await issueUndo(before.id, 'mobile', previous) : null
      try {
        if (!(await accounts.setMobile(before.id, phone))) throw new NotFoundError()
      } catch (error) {
        if (error instanceof DuplicateValueError) throw ValidationError.of('mobile', 'mobile_taken')
        throw error
      }
      await recordAudit({ kind: 'member', memberId: before.id }, 'member.mobile_changed', {
        memberId: before.id,
        address: input.client,
        detail: { door: 'phone' }
      })
      // The change stands whether or not the notice arrives.
      if (previous !== null && undo !== null) {
        await sms.send(previous, texts.mobileChangedSms(before.language, phone, undo)).catch(() => {})
      }
      return describeMember.describeById(before.id)
    }
  }
}

export type ChangeMobile = ReturnType<typeof makeChangeMobile>
