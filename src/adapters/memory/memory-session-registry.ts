import type { MemberSession, SessionRegistry } from '../../application/ports/shared-state/session-registry.js'

/** The in-process twin of the Redis registry: copies in and out, expired sessions never answered. */
export function createMemorySessionRegistry (): SessionRegistry {
  const byUser = new Map<string, Map<string, MemberSession>>()
  const sessionsOf = (userId: string) => {
    let sessions = byUser.get(userId)
    if (sessions === undefined) byUser.set(userId, sessions = new Map())
    return sessions
  }
  const copy = (session: MemberSession): MemberSession => structuredClone(session)

  return {
    async open (session) {
      sessionsOf(session.userId).set(session.id, copy(session))
    },

    async touch (userId, id, use) {
      const session = byUser.get(userId)?.get(id)
      if (session === undefined) return
      session.lastUsedAt = new Date(use.at)
      if (use.ip !== null) session.ip = use.ip
      if (use.expiresAt !== undefined && use.expiresAt > session.expiresAt) session.expiresAt = new Date(use.expiresAt)
    },

    async list (userId, now) {
      const sessions = [...(byUser.get(userId)?.values() ?? [])].filter((session) => session.expiresAt > now)
      return sessions.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map(copy)
    },

    async close (userId, id, now) {
      const sessions = byUser.get(userId)
      const session = sessions?.get(id)
      if (session === undefined) return null
      sessions!.delete(id)
      return session.expiresAt > now ? copy(session) : null
    },

    async closeAll (userId) {
      byUser.delete(userId)
    }
  }
}
