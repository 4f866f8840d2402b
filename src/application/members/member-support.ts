import { DuplicateValueError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../domain/errors.js'
import type { PhoneNumber, User } from '../../domain/user.js'
import type { ActingStaff } from '../staff/staff-admin.js'
import type { AuditFacts, RecordAudit } from '../audit/record-audit.js'
import type { AuditAction } from '../ports/records/audit-log.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { MemberSession } from '../ports/shared-state/session-registry.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { SmsSender } from '../ports/outbound/sms-sender.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import { requireReason } from '../review/review-members.js'
import { smsUnreachable } from '../security/sms-reach.js'

export interface MemberSupportDeps {
  accounts: Pick<AccountRepository, 'findById' | 'findProfileById' | 'findByMobile' | 'setMobile'>
  phones: PhoneParser
  sms: SmsSender
  texts: MemberTexts
  endSessions: Pick<EndSessions, 'everywhere'>
  memberSessions: Pick<MemberSessions, 'listOf'>
  recordAudit: RecordAudit
  /** The member's id from the console's reference (a short uuid or a uuid); NotFoundError otherwise. */
  memberIdOf: (ref: string) => Promise<string>
  allowedCountries: readonly string[]
}

/** The member as the support page shows them: who, their number, their live sign-ins. */
export interface SupportedMember {
  id: string
  username: string | null
  email: string | null
  mobile: PhoneNumber | null
  /** The number as people write it where it belongs (010-5550-1234 for a Korean one). */
  mobileDisplay: string | null
  sessions: MemberSession[]
}

/** What a number change did beyond the change itself: whether the old number was told. */
export interface NumberChanged { memberId: string, oldNumberTold: boolean }

/**
 * `+82******1234`: the country and the last four digits, enough for a reader of the trail to tell
 * two numbers apart and no more (the trail outlives the member's consent to keep the number).
 */
export function maskPhone (phone: PhoneNumber | null): string | null {
  if (phone === null) return null
  const hidden = Math.max(0, phone.length - 7)
  return `${phone.slice(0, 3)}${'*'.repeat(hidden)}${phone.slice(-4)}`
}

/**
 * What an admin does for a member who cannot help themselves: move them to a new number once
 * their identity document has been checked (the member lost the old number and has no email to
 * recover by), see their signed-in devices, and sign them out everywhere. Each is on the trail
 * under the admin, written before anything changes: when the trail cannot be written nothing
 * happens (503), as with a review decision.
 *
 * A number changed by staff ends every session (whoever held the account on the old number is
 * out) and tells the old number by SMS without an undo code: unlike a member's own change, the old
 * number is the one the member lost, and whoever holds it now must not be able to take the account
 * back.
 */
export const makeMemberSupport = ({
  accounts,
  phones,
  sms,
  texts,
  endSessions,
  memberSessions,
  recordAudit,
  memberIdOf,
  allowedCountries
}: MemberSupportDeps) => {
  const trail = async (by: ActingStaff, action: AuditAction, facts: AuditFacts): Promise<void> => {
    try {
      await recordAudit(by.actor, action, { ...facts, address: by.address })
    } catch {
      throw new ServiceUnavailableError()
    }
  }

  const member = async (ref: string): Promise<User> => {
    const user = await accounts.findById(await memberIdOf(ref))
    if (user === null) throw new NotFoundError()
    return user
  }

  /** The number as the phone door reads it: parsed, textable, in an allowed country, nobody else's. */
  const wanted = async (user: User, mobile: string): Promise<PhoneNumber> => {
    const phone = phones.parse(mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    const unreachable = smsUnreachable(phones, allowedCountries, phone)
    if (unreachable !== null) throw ValidationError.of('mobile', unreachable)
    if (phone === user.mobile) throw ValidationError.of('mobile', 'invalid')
    const holder = await accounts.findByMobile(phone)
    if (holder !== null && holder.id !== user.id) throw ValidationError.of('mobile', 'mobile_taken')
    return phone
  }

  return {
    /** The member's live sign-ins, as the member's own list shows them. */
    async sessions (ref: string): Promise<MemberSession[]> {
      return memberSessions.listOf((await member(ref)).id)
    },

    /** The support page's member: nothing here is a look at their files, so nothing is recorded. */
    async overview (ref: string): Promise<SupportedMember> {
      const user = await accounts.findProfileById(await memberIdOf(ref))
      if (user === null) throw new NotFoundError()
      return {
        id: user.id,
        username: user.profile?.username ?? null,
        email: user.email,
        mobile: user.mobile,
        mobileDisplay: user.mobile === null ? null : phones.display(user.mobile),
        sessions: await memberSessions.listOf(user.id)
      }
    },

    async changeMobile (
      by: ActingStaff,
      ref: string,
      input: { mobile: string, reason: string }
    ): Promise<NumberChanged> {
      const reason = requireReason(input.reason)
      const user = await member(ref)
      const phone = await wanted(user, input.mobile)
      const previous = user.mobile
      await trail(by, 'member.mobile_changed', {
        memberId: user.id,
        reason,
        detail: { door: 'console', from: maskPhone(previous), to: maskPhone(phone) }
      })
      try {
        if (!(await accounts.setMobile(user.id, phone))) throw new NotFoundError()
      } catch (error) {
        // Taken between the check and the write: the entry stays, as a decision's does when its write fails.
        if (error instanceof DuplicateValueError) throw ValidationError.of('mobile', 'mobile_taken')
        throw error
      }
      await endSessions.everywhere(user.id)
      // The change stands whether or not the notice arrives; the page says when it did not.
      const oldNumberTold =
        previous !== null &&
        (await sms.send(previous, texts.mobileChangedByStaffSms(user.language, phone)).then(
          () => true,
          () => false
        ))
      return { memberId: user.id, oldNumberTold }
    },

    /** Every session of the member ends: their refresh families and access tokens, on every instance. */
    async signOutEverywhere (by: ActingStaff, ref: string): Promise<void> {
      const { id } = await member(ref)
      await trail(by, 'member.signed_out_everywhere', { memberId: id, detail: { door: 'console' } })
      await endSessions.everywhere(id)
    }
  }
}

export type MemberSupport = ReturnType<typeof makeMemberSupport>
