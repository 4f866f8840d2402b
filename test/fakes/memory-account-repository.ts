import { DuplicateValueError } from '../../src/domain/errors.js'
import type { Language } from '../../src/domain/language.js'
import type { NewUser, PhoneNumber, UserWithProfile } from '../../src/domain/user.js'
import type { AccountCard, AccountRepository } from '../../src/application/ports/records/account-repository.js'
import {
  addPushToken,
  assertFilesFree,
  assertIdentityFree,
  copyCore,
  dropProviderCredentials,
  filesOf,
  laterCutoff,
  queueFileDeletions,
  storeIdentity,
  type MemoryUserState
} from './memory-user-state.js'

/**
 * The in-process twin of the SQL account store, keeping its invariants: unique email, mobile and
 * username, upload keys held once, cascading deletion.
 */
export function createMemoryAccountRepository (state: MemoryUserState): AccountRepository {
  const { users, clock } = state
  const findWhere = (test: (user: UserWithProfile) => boolean) => {
    for (const user of users.values()) if (test(user)) return copyCore(user)
    return null
  }

  return {
    async create (input: NewUser): Promise<UserWithProfile> {
      for (const other of users.values()) {
        if (input.email !== null && other.email === input.email) throw new DuplicateValueError('email')
        if (input.mobile !== null && other.mobile === input.mobile) throw new DuplicateValueError('mobile')
        if (input.profile !== null && other.profile?.username === input.profile.username) {
          throw new DuplicateValueError('username')
        }
        if (input.profile !== null && other.profile !== null) assertFilesFree(input.profile, other.profile)
      }
      if (
        input.profile !== null &&
        new Set(input.profile.verificationFiles.map(file => file.key)).size < input.profile.verificationFiles.length
      ) {
        throw new DuplicateValueError('verification_files')
      }
      const { pushToken, identity, ...fields } = input
      if (identity != null) assertIdentityFree(state, input.id, identity)
      const now = clock.now()
      const user: UserWithProfile = structuredClone({
        ...fields,
        rejectionReason: null,
        tokensValidAfter: null,
        createdAt: now,
        decidedAt: fields.status === 'pending' ? null : now,
        emailVerifiedAt: null
      })
      users.set(user.id, user)
      state.order.set(user.id, state.next())
      if (pushToken !== null) addPushToken(state, user.id, pushToken)
      if (identity != null) storeIdentity(state, user.id, identity)
      return structuredClone(user)
    },

    async findById (id) {
      const user = users.get(id)
      return user === undefined ? null : copyCore(user)
    },

    async findCard (id): Promise<AccountCard | null> {
      const user = users.get(id)
      if (user === undefined) return null
      const { status, tokensValidAfter, email, mobile, createdAt } = user
      return {
        status,
        tokensValidAfter: tokensValidAfter === null ? null : new Date(tokensValidAfter),
        email,
        mobile,
        createdAt: new Date(createdAt)
      }
    },

    async findProfileById (id) {
      const user = users.get(id)
      return user === undefined ? null : structuredClone(user)
    },

    findByEmail: async (email) => findWhere((user) => user.email === email),
    findByMobile: async (mobile: PhoneNumber) => findWhere((user) => user.mobile === mobile),

    async findProfileByMobile (mobile: PhoneNumber) {
      for (const user of users.values()) if (user.mobile === mobile) return structuredClone(user)
      return null
    },

    async delete (id) {
      const user = users.get(id)
      if (user === undefined) return null
      for (const [token, owner] of state.pushTokens) if (owner.userId === id) state.pushTokens.delete(token)
      users.delete(id)
      state.pendingEmails.delete(id)
      // The confirmation goes with the member; its verification id stays used.
      state.identities.delete(id)
      dropProviderCredentials(state, id)
      const keys = filesOf(user.profile)
      queueFileDeletions(state, keys)
      return keys
    },

    async setPassword (id, passwordHash) {
      const user = users.get(id)
      if (user === undefined) return false
      user.passwordHash = passwordHash
      return true
    },

    async setMobile (id, mobile) {
      const user = users.get(id)
      if (user === undefined) return false
      for (const other of users.values()) {
        if (other.id !== id && other.mobile === mobile) throw new DuplicateValueError('mobile')
      }
      user.mobile = mobile
      return true
    },

    async setLanguage (id, language: Language) {
      const user = users.get(id)
      if (user !== undefined) user.language = language
    },

    async setTokensValidAfter (id, instant) {
      const user = users.get(id)
      if (user !== undefined) user.tokensValidAfter = laterCutoff(user.tokensValidAfter, instant)
    },

    async ping () {}
  }
}
