import type { MemberPresence, PresenceMark } from '../ports/shared-state/member-presence.js'
import type { Clock } from '../ports/system/clock.js'

export interface MemberPresenceDeps { presence: MemberPresence, clock: Clock }

/** How long an opened member page counts as "on the member": a review takes a few minutes. */
export const PRESENCE_WINDOW_MS = 5 * 60_000

/**
 * Who else has opened a member's page in the last few minutes, and marks this staff member as
 * there too. The others are read before the mark, so a staff member never sees themselves. The
 * record is short-lived (Redis, or this process in the embedded default), not the audit trail: a
 * file view is recorded once per visit window (file-views.ts), and a page with no files records
 * none, so the trail cannot say who has the page open now.
 */
export const makeMemberPresence = ({ presence, clock }: MemberPresenceDeps) =>
  async function othersOnMember (
    memberId: string,
    viewer: { staffId: string, email: string }
  ): Promise<PresenceMark[]> {
    const now = clock.now()
    const others = (await presence.recent(memberId, new Date(now.getTime() - PRESENCE_WINDOW_MS)))
      .filter(mark => mark.staffId !== viewer.staffId)
    await presence.mark(memberId, viewer, now, PRESENCE_WINDOW_MS)
    return others
  }

export type OthersOnMember = ReturnType<typeof makeMemberPresence>
