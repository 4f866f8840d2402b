import { signInSubject } from '../../domain/code-subject.js'
import { MemberNotFoundError, ValidationError } from '../../domain/errors.js'
import type { Language } from '../../domain/language.js'
import { toShortUuid } from '../../domain/short-uuid.js'
import { assertMayLogIn } from '../../domain/user.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { DescribeMember } from '../members/member-view.js'
import type { OtpSettings } from '../security/otp-settings.js'
import type { OneTimeCodes } from '../security/one-time-codes.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import { keepLanguage } from '../members/keep-language.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { PhoneSession } from '../registration/register-with-phone.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { TokenService } from '../sessions/token-service.js'

export interface VerifyOtpDeps {
  accounts: AccountRepository
  codes: OneTimeCodes
  phones: PhoneParser
  tokens: TokenService
  describeMember: DescribeMember
  settings: OtpSettings
  limits: AbuseLimits
  recordAudit: RecordAudit
  sessions: MemberSessions
}

/** Login step 2: the code for the number, once, buys a token pair. */
export const makeVerifyOtp = ({
  accounts,
  codes,
  phones,
  tokens,
  describeMember,
  settings,
  limits,
  recordAudit,
  sessions
}: VerifyOtpDeps) =>
  async function verifyOtp (input: {
    mobile: string
    code: string
    client: string
    language: Language | null
    userAgent: string | null
  }): Promise<PhoneSession> {
    const phone = phones.parse(input.mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    const issuer = tokens.issuer()
    // The member with their profile: the answer's member object comes from this same read.
    const user = await issuer.read(() => accounts.findProfileByMobile(phone))
    if (user === null) throw new MemberNotFoundError()
    assertMayLogIn(user)
    const rules = {
      ttlSeconds: settings.ttlSeconds,
      cooldownSeconds: settings.resendCooldownSeconds,
      maxTries: settings.maxTries
    }
    await limits.guard(
      `tel:${phone}`,
      input.client,
      () => codes.prove(signInSubject(phone), input, rules, 'sms'),
      'code'
    )

    // All at once: none depends on another. The audit entry is written before the tokens leave,
    // so no session begins unrecorded (never the code: only the door).
    const [session, , , member] = await Promise.all([
      sessions.begin(user.id, { userAgent: input.userAgent, ip: input.client }, 'phone'),
      keepLanguage(accounts, user, input.language),
      recordAudit({ kind: 'member', memberId: user.id }, 'member.signed_in', {
        memberId: user.id,
        address: input.client,
        detail: { door: 'phone' }
      }),
      describeMember.describe(user)
    ])
    const pair = issuer.pair(user, toShortUuid(user.id), session)
    return { access: pair.access, refresh: pair.refresh, member }
  }
