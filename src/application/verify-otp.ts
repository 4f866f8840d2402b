import { InvalidOtpError, MemberNotFoundError, OtpAttemptsExceededError, OtpExpiredError, ValidationError } from '../domain/errors.js'
import { toShortUuid } from '../domain/short-uuid.js'
import { assertMayLogIn } from '../domain/user.js'
import type { DescribeMember } from './member-view.js'
import type { OtpSettings } from './otp-settings.js'
import type { CodeHasher } from './ports/code-hasher.js'
import type { OtpStore } from './ports/otp-store.js'
import type { PhoneParser } from './ports/phone-parser.js'
import type { UserRepository } from './ports/user-repository.js'
import type { PhoneSession } from './register-with-phone.js'
import type { TokenService } from './token-service.js'

export interface VerifyOtpDeps {
  users: UserRepository
  otps: OtpStore
  phones: PhoneParser
  codeHasher: CodeHasher
  tokens: TokenService
  describeMember: DescribeMember
  settings: OtpSettings
}

const CODE_SHAPE = /^\d{6}$/

/** Login step 2: the code for the number, once, buys a token pair. */
export const makeVerifyOtp = ({ users, otps, phones, codeHasher, tokens, describeMember, settings }: VerifyOtpDeps) =>
  async function verifyOtp (input: { mobile: string, token: string }): Promise<PhoneSession> {
    const phone = phones.parse(input.mobile)
    if (phone === null) throw ValidationError.of('mobile', 'invalid_phone')
    const issuedAt = tokens.stamp() // before the read: see TokenService.stamp
    const user = await users.findByMobile(phone)
    if (user === null) throw new MemberNotFoundError()
    assertMayLogIn(user)

    // A malformed code is still a try: it must not become a free probe.
    const code = CODE_SHAPE.test(input.token) ? input.token : 'malformed'
    const result = await otps.check(phone, codeHasher.hash(phone, code), { maxTries: settings.maxTries, tryWindowSeconds: settings.tryWindowSeconds })
    if (result === 'none') throw new OtpExpiredError()
    if (result === 'wrong') throw new InvalidOtpError()
    if (result === 'void') throw new OtpAttemptsExceededError()

    const pair = tokens.issuePair(toShortUuid(user.id), { at: issuedAt })
    return { access: pair.access, refresh: pair.refresh, member: await describeMember.describeById(user.id) }
  }
