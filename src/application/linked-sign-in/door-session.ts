import type { Language } from '../../domain/language.js'
import { toShortUuid } from '../../domain/short-uuid.js'
import { assertMayLogIn, type UserWithProfile } from '../../domain/user.js'
import type { RecordAudit } from '../audit/record-audit.js'
import { keepLanguage } from '../members/keep-language.js'
import type { DescribeMember, MemberView } from '../members/member-view.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { Stamped, TokenIssuer, TokenService } from '../sessions/token-service.js'
import type { Clock } from '../ports/system/clock.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { SignInMethods } from './sign-in-methods.js'

/** Which app signs in: the phone door answers a pair and the member, the email door one long access token. */
export type Door = 'phone' | 'email'

/** What a sign-in answers, in its door's shape. */
export type DoorSession =
  | { door: 'phone', access: string, refresh: string, member: MemberView }
  | { door: 'email', accessToken: string }

/** Who signs in from where, and how (the trail's `method`: a provider, or `passkey`). */
export interface SignInRequest {
  door: Door
  method: string
  client: string
  userAgent: string | null
  language: Language | null
}

export interface DoorSessionDeps {
  accounts: AccountRepository
  describeMember: DescribeMember
  recordAudit: RecordAudit
  sessions: MemberSessions
}

/**
 * A sign-in by a provider's ID token or a passkey, once the credential is proven: the door's
 * approval rules (pending and rejected members get no session, in each door's words), the trail
 * entry before any token leaves, the session, and the tokens the door's app expects.
 */
export const makeBeginDoorSession = ({ accounts, describeMember, recordAudit, sessions }: DoorSessionDeps) =>
  async function beginDoorSession (
    issuer: TokenIssuer,
    user: Stamped<UserWithProfile>,
    request: SignInRequest
  ): Promise<DoorSession> {
    assertMayLogIn(user)
    const [session] = await Promise.all([
      sessions.begin(user.id, { userAgent: request.userAgent, ip: request.client }, request.door),
      keepLanguage(accounts, user, request.language),
      recordAudit({ kind: 'member', memberId: user.id }, 'member.signed_in', {
        memberId: user.id,
        address: request.client,
        detail: { door: request.door, method: request.method }
      })
    ])
    if (request.door === 'email') {
      return { door: 'email', accessToken: issuer.emailAccess(user, toShortUuid(user.id), session) }
    }
    const pair = issuer.pair(user, toShortUuid(user.id), session)
    return { door: 'phone', access: pair.access, refresh: pair.refresh, member: await describeMember.describe(user) }
  }

export type BeginDoorSession = ReturnType<typeof makeBeginDoorSession>

/** What every way of signing in besides a code or a password needs (a provider's token, a passkey). */
export interface SignInDeps {
  accounts: AccountRepository
  tokens: TokenService
  limits: AbuseLimits
  clock: Clock
  recordAudit: RecordAudit
  beginDoorSession: BeginDoorSession
  signInMethods: SignInMethods
}
