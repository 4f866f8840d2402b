import type { MemberPresence, PresenceMark } from '../../application/ports/shared-state/member-presence.js'
import type { Clock } from '../../application/ports/system/clock.js'
import { ExpiringMap } from './expiring-map.js'

/** Presence in this process (the embedded default): per member, staff id → their latest mark. */
export function createMemoryMemberPresence (clock: Clock): MemberPresence {
  const members = new ExpiringMap<Map<string, PresenceMark>>(clock)
  return {
    async mark (memberId, viewer, at, forMs) {
      const marks = members.get(memberId) ?? new Map<string, PresenceMark>()
      marks.set(viewer.staffId, { staffId: viewer.staffId, email: viewer.email, at })
      for (const [staffId, old] of marks) if (old.at.getTime() <= at.getTime() - forMs) marks.delete(staffId)
      members.set(memberId, marks, new Date(at.getTime() + forMs))
    },
    async recent (memberId, since) {
      return [...(members.get(memberId)?.values() ?? [])]
        .filter(mark => mark.at.getTime() >= since.getTime())
        .sort((a, b) => b.at.getTime() - a.at.getTime())
    }
  }
}
