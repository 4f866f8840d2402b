import { NotFoundError } from '../../domain/errors.js'
import type { Principal } from '../sign-in/authenticate.js'
import type { Clock } from '../ports/system/clock.js'
import type { IdGenerator } from '../ports/system/id-generator.js'
import type { RevocationStore } from '../ports/shared-state/revocation-store.js'
import type { MemberSession, SessionRegistry } from '../ports/shared-state/session-registry.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { TokenService } from './token-service.js'

export interface MemberSessionsDeps {
  registry: SessionRegistry
  revocations: RevocationStore
  tokens: TokenService
  ids: IdGenerator
  clock: Clock
  recordAudit: RecordAudit
  /** How long a session of each door can hold a live token: the refresh life, the email token's life. */
  lives: { phone: number, email: number }
}

/** Where a sign-in came from, as the member will see it in their list. */
export interface Device { userAgent: string | null, ip: string }

const DEVICE_LENGTH = 200

/**
 * A member's sign-ins as sessions they can see and end. A session's id is the `fam` claim of
 * every token it gives out (the phone door's refresh family, the email door's one access token),
 * so ending it is one revocation that every instance sees at the next admission.
 */
export const makeMemberSessions = ({
  registry,
  revocations,
  tokens,
  ids,
  clock,
  recordAudit,
  lives
}: MemberSessionsDeps) => {
  /** The session a token belongs to; a token issued before sessions existed is its own. */
  const currentOf = (principal: Principal) => principal.claims.fam ?? principal.claims.jti
  const end = async (session: MemberSession) => {
    // Until the last token the session could still hold has expired, whichever door issued it.
    const until = new Date(Math.max(session.expiresAt.getTime(), tokens.familyExpiry().getTime()))
    await revocations.revoke(session.id, until)
  }

  return {
    /** A new sign-in: answers the id its tokens carry. */
    async begin (userId: string, device: Device, door: 'phone' | 'email'): Promise<string> {
      const now = clock.now()
      const id = ids.newId()
      await registry.open({
        id,
        userId,
        device: device.userAgent?.slice(0, DEVICE_LENGTH) ?? null,
        ip: device.ip,
        createdAt: now,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + lives[door] * 1000)
      })
      return id
    },

    /**
     * A refresh: the session's last use and life move on. Not awaited by the caller and never
     * failing it: the list's "last used" is a courtesy, the refresh is the member's work.
     */
    used (userId: string, id: string, ip: string): void {
      const now = clock.now()
      registry
        .touch(userId, id, { at: now, ip, expiresAt: new Date(now.getTime() + lives.phone * 1000) })
        .catch(() => {})
    },

    async list (principal: Principal): Promise<{ sessions: MemberSession[], current: string }> {
      return { sessions: await registry.list(principal.userId, clock.now()), current: currentOf(principal) }
    },

    /** The same list as staff see it on the member's page (no session is theirs). */
    listOf: (userId: string): Promise<MemberSession[]> => registry.list(userId, clock.now()),

    /** Ends one of the member's sessions (its refresh and access tokens); 404 for an id not theirs. */
    async endOne (principal: Principal, id: string, client: string): Promise<void> {
      const session = await registry.close(principal.userId, id, clock.now())
      if (session === null) throw new NotFoundError()
      await end(session)
      await recordAudit({ kind: 'member', memberId: principal.userId }, 'member.session_ended', {
        memberId: principal.userId,
        address: client,
        detail: { session: id }
      })
    },

    /** Ends every session but the caller's. */
    async endOthers (principal: Principal, client: string): Promise<number> {
      const now = clock.now()
      const current = currentOf(principal)
      const others = (await registry.list(principal.userId, now)).filter(session => session.id !== current)
      for (const session of others) {
        await end(session)
        await registry.close(principal.userId, session.id, now)
      }
      await recordAudit({ kind: 'member', memberId: principal.userId }, 'member.signed_out_others', {
        memberId: principal.userId,
        address: client,
        detail: { sessions: others.length }
      })
      return others.length
    },

    /** The session of a token that was just signed out (its tokens are revoked by the caller). */
    forget: (userId: string, claims: Principal['claims']) =>
      registry.close(userId, claims.fam ?? claims.jti, clock.now()).then(() => {})
  }
}

export type MemberSessions = ReturnType<typeof makeMemberSessions>
