import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../../application/ports/system/clock.js'
import type {
  StaffSession,
  StaffSessionSettings,
  StaffSessionStore
} from '../../application/ports/shared-state/staff-session-store.js'
import { ExpiringMap } from './expiring-map.js'

const newSecret = (): string => randomBytes(32).toString('base64url')
// Keyed by the id's hash as in Redis, so the twin keeps the same property a heap dump would test.
const keyOf = (id: string): string => createHash('sha256').update(id).digest('base64url')

/**
 * Console sessions in this process (the embedded default: one instance). Every method runs
 * without an await between its read and its write, so each is one critical section, as
 * `promote` needs.
 */
export function createMemoryStaffSessionStore ({
  clock,
  settings
}: {
  clock: Clock
  settings: StaffSessionSettings
}): StaffSessionStore {
  const idleMs = settings.idleSeconds * 1000
  const absoluteMs = settings.absoluteSeconds * 1000
  const touchMs = Math.min(60_000, idleMs / 10)
  const sessions = new ExpiringMap<StaffSession>(clock)
  // staffId -> keys of its sessions; dead keys are dropped when the member next signs in.
  const byStaff = new Map<string, Set<string>>()

  const endOf = (session: StaffSession) =>
    new Date(Math.min(session.lastSeenAt.getTime() + idleMs, session.createdAt.getTime() + absoluteMs))
  const keep = (key: string, session: StaffSession) => {
    sessions.set(key, session, endOf(session))
  }
  const copy = (session: StaffSession): StaffSession => structuredClone(session)
  const keysOf = (staffId: string): Set<string> => {
    const keys = byStaff.get(staffId) ?? new Set<string>()
    byStaff.set(staffId, keys)
    return keys
  }

  return {
    async create ({ staffId, stage, address, userAgent }) {
      const id = newSecret()
      const key = keyOf(id)
      const now = clock.now()
      keep(key, { staffId, stage, csrfToken: newSecret(), createdAt: now, lastSeenAt: now, address, userAgent })
      const keys = keysOf(staffId)
      for (const old of keys) if (sessions.get(old) === undefined) keys.delete(old)
      keys.add(key)
      return id
    },

    async get (id) {
      const key = keyOf(id)
      const session = sessions.get(key)
      if (session === undefined) return null
      const now = clock.now()
      if (now.getTime() - session.lastSeenAt.getTime() >= touchMs) keep(key, { ...session, lastSeenAt: now })
      return copy(sessions.get(key)!)
    },

    async update (id, patch) {
      const key = keyOf(id)
      const session = sessions.get(key)
      if (session === undefined) return false
      const next = { ...session }
      if (patch.stage !== undefined) next.stage = patch.stage
      if (patch.csrfToken !== undefined) next.csrfToken = patch.csrfToken
      keep(key, next)
      return true
    },

    async promote (id) {
      const oldKey = keyOf(id)
      const session = sessions.get(oldKey)
      if (session === undefined) return null
      sessions.delete(oldKey)
      const newId = newSecret()
      const newKey = keyOf(newId)
      keep(newKey, { ...session, stage: 'signed_in', csrfToken: newSecret(), lastSeenAt: clock.now() })
      const keys = keysOf(session.staffId)
      keys.delete(oldKey)
      keys.add(newKey)
      return newId
    },

    async delete (id) {
      sessions.delete(keyOf(id))
    },

    async deleteAllOf (staffId) {
      for (const key of byStaff.get(staffId) ?? []) sessions.delete(key)
      byStaff.delete(staffId)
    }
  }
}
