import type { AdmitToken } from '../sessions/admit-token.js'
import type { DescribeMember, MemberView } from './member-view.js'
import type { AccountRepository } from '../ports/records/account-repository.js'

export interface GetMeDeps { admitToken: AdmitToken, accounts: AccountRepository, describeMember: DescribeMember }

/**
 * The caller's own user with their profile resolved (the phone app's user object). It admits the access
 * token itself, reading the member in parallel with the revocation check and judging the token by
 * the standing in that very row (as `GET /auth/me` does): one database read and one Redis command,
 * never the standing first and the member after. A member deleted meanwhile is USER_NOT_FOUND.
 */
export const makeGetMe = ({ admitToken, accounts, describeMember }: GetMeDeps) =>
  async function getMe (accessToken: string | null): Promise<MemberView> {
    const { found } = await admitToken(accessToken, 'access', (id) => accounts.findProfileById(id))
    return describeMember.describe(found)
  }
