import { InvalidCredentialsError } from '../../domain/errors.js'
import { assertPasswordPolicy } from '../../domain/password.js'
import { toShortUuid } from '../../domain/short-uuid.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { Principal } from '../sign-in/authenticate.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { TokenService } from '../sessions/token-service.js'

export interface ChangePasswordDeps {
  accounts: AccountRepository
  hasher: PasswordHasher
  tokens: TokenService
  endSessions: EndSessions
  limits: AbuseLimits
  recordAudit: RecordAudit
  sessions: MemberSessions
}

/**
 * A signed-in member replaces their password, proving the current one (a stolen token alone must
 * not lock its owner out). Every token issued before ends, on every device; the caller gets a
 * fresh email-door token issued after that cutoff.
 */
export const makeChangePassword = ({
  accounts,
  hasher,
  tokens,
  endSessions,
  limits,
  recordAudit,
  sessions
}: ChangePasswordDeps) =>
  async function changePassword (
    principal: Principal,
    input: { currentPassword: string, newPassword: string, client: string, userAgent: string | null }
  ): Promise<{ accessToken: string }> {
    const user = await accounts.findById(principal.userId)
    if (user === null || user.email === null || user.passwordHash === null) throw new InvalidCredentialsError()
    const { passwordHash } = user
    if (
      !(await limits.guard(`mail:${user.email}`, input.client, () =>
        hasher.verify(passwordHash, input.currentPassword)
      ))
    ) { throw new InvalidCredentialsError() }
    assertPasswordPolicy(input.newPassword, 'new_password')
    await accounts.setPassword(user.id, await hasher.hash(input.newPassword))
    const cutoff = await endSessions.everywhere(user.id)
    const issuer = tokens.issuer({ after: cutoff })
    const member = await issuer.read(() => accounts.findById(user.id))
    if (member === null) throw new InvalidCredentialsError()
    await recordAudit({ kind: 'member', memberId: user.id }, 'member.password_changed', {
      memberId: user.id,
      address: input.client,
      detail: { door: 'email' }
    })
    const session = await sessions.begin(member.id, { userAgent: input.userAgent, ip: input.client }, 'email')
    return { accessToken: issuer.emailAccess(member, toShortUuid(member.id), session) }
  }
