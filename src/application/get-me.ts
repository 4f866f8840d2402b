import type { Principal } from './authenticate.js'
import type { DescribeMember, MemberView } from './member-view.js'

export interface GetMeDeps { describeMember: DescribeMember }

/** The caller's own user with their profile resolved (seed 1's user object). */
export const makeGetMe = ({ describeMember }: GetMeDeps) =>
  async function getMe (principal: Principal): Promise<MemberView> {
    return describeMember.describeById(principal.userId) // USER_NOT_FOUND if deleted meanwhile
  }
