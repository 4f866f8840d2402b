import { UserNotFoundError } from '../../domain/errors.js'
import { ageOn, type UserWithProfile } from '../../domain/user.js'
import type { CatalogItem, CatalogRepository } from '../ports/records/catalog-repository.js'
import type { Clock } from '../ports/system/clock.js'
import type { AccountRepository } from '../ports/records/account-repository.js'

/** A user with what the phone app's `user` object shows: age, and interests and profession resolved. */
export interface MemberView {
  user: UserWithProfile
  age: number | null
  interests: CatalogItem[]
  profession: CatalogItem | null
}

export interface MemberViewDeps { accounts: AccountRepository, catalog: CatalogRepository, clock: Clock }

export const makeDescribeMember = ({ accounts, catalog, clock }: MemberViewDeps) => {
  async function describe (user: UserWithProfile): Promise<MemberView> {
    const profile = user.profile
    if (profile === null) return { user, age: null, interests: [], profession: null }
    const [interests, professions] = await Promise.all([
      catalog.findByIds('interest', profile.interestIds),
      profile.professionId === null ? [] : catalog.findByIds('profession', [profile.professionId])
    ])
    return { user, age: ageOn(profile.birth, clock.now()), interests, profession: professions[0] ?? null }
  }

  return {
    describe,
    async describeById (id: string): Promise<MemberView> {
      const user = await accounts.findProfileById(id)
      if (user === null) throw new UserNotFoundError()
      return describe(user)
    }
  }
}

export type DescribeMember = ReturnType<typeof makeDescribeMember>
