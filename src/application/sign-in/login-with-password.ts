import { parseEmail } from '../../domain/email.js'
import { EmailNotVerifiedError, InvalidCredentialsError, ValidationError } from '../../domain/errors.js'
import type { Language } from '../../domain/language.js'
import { toShortUuid } from '../../domain/short-uuid.js'
import { assertMayLogIn, type User } from '../../domain/user.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import { keepLanguage } from '../members/keep-language.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { Stamped, TokenService } from '../sessions/token-service.js'

export interface LoginWithPasswordDeps {
  accounts: AccountRepository
  hasher: PasswordHasher
  tokens: TokenService
  limits: AbuseLimits
  recordAudit: RecordAudit
  /** EMAIL_VERIFICATION=required: true when the member must prove the address first (and a code was sent). */
  emailGate: (user: User, client: string) => Promise<boolean>
  sessions: MemberSessions
}

export const makeLoginWithPassword = ({
  accounts,
  hasher,
  tokens,
  limits,
  recordAudit,
  emailGate,
  sessions
}: LoginWithPasswordDeps) =>
  async function loginWithPassword (input: {
    email: string
    password: string
    client: string
    language: Language | null
    userAgent: string | null
  }): Promise<{ accessToken: string }> {
    let email: string | null
    try {
      email = parseEmail(input.email)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      email = null // a malformed email is just a wrong one: same answer, same cost
    }
    // Unknown and malformed emails are limited like members', so the limits tell nothing either.
    const target = `mail:${email ?? input.email.trim().toLowerCase()}` as const
    const issuer = tokens.issuer()
    let found: Stamped<User> | null = null
    // Always hash, even without a user, so timing does not tell which emails exist.
    const right = await limits.guard(target, input.client, async () => {
      found = email === null ? null : await issuer.read(() => accounts.findByEmail(email))
      return (await hasher.verify(found?.passwordHash ?? null, input.password)) && found !== null
    })
    const user = found as Stamped<User> | null // assigned inside the guard's attempt
    if (!right || user === null) throw new InvalidCredentialsError()
    assertMayLogIn(user)
    if (await emailGate(user, input.client)) throw new EmailNotVerifiedError()
    await keepLanguage(accounts, user, input.language)
    // Before the token leaves, so no session begins unrecorded. Never the password: only the door.
    await recordAudit({ kind: 'member', memberId: user.id }, 'member.signed_in', {
      memberId: user.id,
      address: input.client,
      detail: { door: 'email' }
    })
    const session = await sessions.begin(user.id, { userAgent: input.userAgent, ip: input.client }, 'email')
    return { accessToken: issuer.emailAccess(user, toShortUuid(user.id), session) }
  }
