import type { UseCases } from '../../../application/make-use-cases.js'
import type { StaffVisit } from '../../../application/staff/staff-sign-in.js'
import { decisionVersion } from '../../../domain/review-decision.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import type { User } from '../../../domain/user.js'
import type { DecidingInput } from './pages/decision-pages.js'

/**
 * What the member page's deciding parts show, read for the staff member looking: the member's
 * version for every form, who else is on the member (which marks this staff member as there too),
 * and whether the files may be deleted. The member page's route asks this alone, so the deciding
 * parts grow here rather than in the route.
 */
export async function decidingFor (
  useCases: UseCases,
  visit: StaffVisit,
  user: Pick<User, 'id' | 'status' | 'decidedAt'>,
  files: number
): Promise<DecidingInput> {
  const others = await useCases.othersOnMember(user.id, { staffId: visit.staff.id, email: visit.staff.email })
  return {
    uuid: toShortUuid(user.id),
    status: user.status,
    version: decisionVersion(user),
    canPurge: visit.staff.role === 'admin' && user.status !== 'pending' && files > 0,
    others: others.map(other => ({ email: other.email, at: other.at }))
  }
}
