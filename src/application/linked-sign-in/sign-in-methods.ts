import { EmailNotVerifiedError, LastSignInMethodError, NotFoundError } from '../../domain/errors.js'
import type { User } from '../../domain/user.js'
import type { EmailVerificationMode } from '../members/member-email.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { LinkedIdentities } from '../ports/records/linked-identities.js'
import type { Passkeys } from '../ports/records/passkeys.js'
import type { Clock } from '../ports/system/clock.js'
import type { Principal } from '../sign-in/authenticate.js'
import { requireRecentSignIn } from '../sign-in/recent-sign-in.js'

export interface SignInMethodsDeps {
  accounts: AccountRepository
  identities: LinkedIdentities
  passkeys: Passkeys
  clock: Clock
  emailVerification: EmailVerificationMode
}

/**
 * The rules every new or removed way into an account follows, whatever the way (a number, an
 * email and password, a provider identity, a passkey).
 */
export const makeSignInMethods = ({ accounts, identities, passkeys, clock, emailVerification }: SignInMethodsDeps) => ({
  /**
   * The member who may add a way in: signed in within the last 10 minutes (a copied token alone
   * adds nothing), and not holding an address nobody proved (the owner of an address owns the
   * account alone: whoever signed up with someone else's address gains no other way in).
   */
  async mayAdd (principal: Principal): Promise<User> {
    const user = await accounts.findById(principal.userId)
    if (user === null) throw new NotFoundError()
    if (emailVerification !== 'off' && user.email !== null && user.emailVerifiedAt === null) {
      throw new EmailNotVerifiedError()
    }
    requireRecentSignIn(principal, clock)
    return user
  },

  /** Refuses a removal that would leave `removing` as the member's only way in (LastSignInMethodError). */
  async mayRemoveOne (user: User): Promise<void> {
    const [linked, keys] = await Promise.all([identities.listByMember(user.id), passkeys.listByMember(user.id)])
    const ways = (user.mobile === null ? 0 : 1) +
      (user.email !== null && user.passwordHash !== null ? 1 : 0) +
      linked.length +
      keys.length
    if (ways <= 1) throw new LastSignInMethodError()
  }
})

export type SignInMethods = ReturnType<typeof makeSignInMethods>
