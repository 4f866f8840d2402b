import { DuplicateValueError } from '../../src/domain/errors.js'
import type { Language } from '../../src/domain/language.js'
import type { NewUser, PhoneNumber, PhoneProfile, User, UserStatus, UserWithProfile } from '../../src/domain/user.js'
import type { AccountCard, UserPage, UserRepository, UserSearch } from '../../src/application/ports/user-repository.js'
import type { Clock } from '../../src/application/ports/clock.js'

/**
 * The in-process twin of the SQL repository, keeping its invariants: unique email, mobile and
 * username, cascading deletion, one owner per push token. Copies on the way in and out so callers
 * cannot mutate stored state.
 */
export function createMemoryUserRepository (clock: Clock): UserRepository {
  const users = new Map<string, UserWithProfile>()
  const pendingEmails = new Map<string, { email: string, passwordHash: string | null }>()
  const pushTokens = new Map<string, { userId: string, at: number }>()
  const order = new Map<string, number>()
  const fileDeletions = new Map<string, { queuedAt: number, notBefore: number }>()
  let sequence = 0

  const copyCore = (user: UserWithProfile): User => {
    const { profile: _profile, ...core } = user
    return structuredClone(core)
  }
  const findWhere = (test: (user: UserWithProfile) => boolean): User | null => {
    for (const user of users.values()) if (test(user)) return copyCore(user)
    return null
  }
  const addPushToken = async (userId: string, token: string): Promise<void> => {
    if (!users.has(userId)) return
    pushTokens.set(token, { userId, at: sequence++ })
  }
  const queueFileDeletions = (keys: string[]): void => {
    const now = clock.now().getTime()
    for (const key of keys) { if (!fileDeletions.has(key)) fileDeletions.set(key, { queuedAt: sequence++, notBefore: now }) }
  }

  return {
    async create (input: NewUser): Promise<UserWithProfile> {
      for (const other of users.values()) {
        if (input.email !== null && other.email === input.email) throw new DuplicateValueError('email')
        if (input.mobile !== null && other.mobile === input.mobile) throw new DuplicateValueError('mobile')
        if (input.profile !== null && other.profile?.username === input.profile.username) { throw new DuplicateValueError('username') }
        if (input.profile !== null && other.profile !== null) assertFilesFree(input.profile, other.profile)
      }
      if (
        input.profile !== null &&
        new Set(input.profile.verificationFiles.map(file => file.key)).size < input.profile.verificationFiles.length
      ) {
        throw new DuplicateValueError('verification_files')
      }
      const { pushToken, ...fields } = input
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
      order.set(user.id, sequence++)
      if (pushToken !== null) await addPushToken(user.id, pushToken)
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
      for (const [token, owner] of pushTokens) if (owner.userId === id) pushTokens.delete(token)
      users.delete(id)
      pendingEmails.delete(id)
      const keys = filesOf(user.profile)
      queueFileDeletions(keys)
      return keys
    },

    async purgeVerificationFiles (id) {
      const user = users.get(id)
      if (user === undefined) return null
      const keys = user.profile?.verificationFiles.map((file) => file.key) ?? []
      if (user.profile !== null) user.profile.verificationFiles = []
      queueFileDeletions(keys)
      return keys
    },

    async dueVerificationPurges (decidedBefore, limit) {
      return [...users.values()]
        .filter(
          user =>
            user.status !== 'pending' &&
            user.decidedAt !== null &&
            user.decidedAt < decidedBefore &&
            (user.profile?.verificationFiles.length ?? 0) > 0
        )
        .sort((a, b) => a.decidedAt!.getTime() - b.decidedAt!.getTime() || byId(a, b))
        .slice(0, limit)
        .map(user => user.id)
    },

    async dueFileDeletions (now, limit) {
      return [...fileDeletions]
        .filter(([, entry]) => entry.notBefore <= now.getTime())
        .sort(([keyA, a], [keyB, b]) => a.notBefore - b.notBefore || (keyA < keyB ? -1 : 1))
        .slice(0, limit)
        .map(([key]) => key)
    },

    async completeFileDeletion (key) {
      fileDeletions.delete(key)
    },

    async postponeFileDeletion (key, notBefore) {
      const entry = fileDeletions.get(key)
      if (entry !== undefined) entry.notBefore = notBefore.getTime()
    },

    addPushToken,

    async listPushTokens (userId) {
      return [...pushTokens].filter(([, owner]) => owner.userId === userId).map(([token]) => token).sort()
    },

    async removePushToken (token) {
      pushTokens.delete(token)
    },

    async setStatus (id, status: UserStatus, reason, endSessionsAt) {
      const user = users.get(id)
      if (user === undefined) return false
      if (status === 'pending') user.decidedAt = null
      else if (user.status !== status || user.decidedAt === null) user.decidedAt = clock.now()
      user.status = status
      user.rejectionReason = reason
      if (endSessionsAt !== undefined) user.tokensValidAfter = new Date(endSessionsAt)
      return true
    },

    async listByStatus (status, offset, limit): Promise<UserPage> {
      const matching = [...users.values()]
        .filter((user) => status === null || user.status === status)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || order.get(b.id)! - order.get(a.id)!)
      return { users: structuredClone(matching.slice(offset, offset + limit)), total: matching.length }
    },

    async search (query: UserSearch): Promise<UserPage> {
      // A plain substring test: the text is never a pattern here, so `%` and `_` are characters
      // as the SQL adapter's escaped ILIKE makes them; lower-casing folds as ILIKE does.
      const needle = query.text?.toLowerCase() ?? null
      const contains = (value: string | null | undefined) =>
        needle !== null && (value ?? '').toLowerCase().includes(needle)
      const direction = query.order === 'oldest' ? 1 : -1
      const matching = [...users.values()]
        .filter(user => query.status === null || user.status === query.status)
        .filter(user => query.mobile === null || user.mobile === query.mobile)
        .filter(
          user =>
            needle === null || contains(user.profile?.username) || contains(user.profile?.name) || contains(user.email)
        )
        .sort((a, b) => direction * (a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b)))
      return {
        users: structuredClone(matching.slice(query.offset, query.offset + query.limit)),
        total: matching.length
      }
    },

    async findSharingUniqueKey (id) {
      const key = users.get(id)?.profile?.uniqueKey ?? null
      if (key === null) return []
      return [...users.values()]
        .filter((other) => other.id !== id && other.profile?.uniqueKey === key)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b))
        .map((other) => ({ id: other.id, username: other.profile?.username ?? null, status: other.status }))
    },

    async setPassword (id, passwordHash) {
      const user = users.get(id)
      if (user === undefined) return false
      user.passwordHash = passwordHash
      return true
    },

    async stageEmail (id, email, passwordHash) {
      if (!users.has(id)) return false
      for (const other of users.values()) { if (other.id !== id && other.email === email) throw new DuplicateValueError('email') }
      pendingEmails.set(id, { email, passwordHash })
      return true
    },

    findPendingEmail: async (id) => users.has(id) ? pendingEmails.get(id)?.email ?? null : null,

    async confirmEmail (id, at) {
      const user = users.get(id)
      if (user === undefined) return null
      const pending = pendingEmails.get(id)
      if (pending === undefined) {
        if (user.email === null) return null
        user.emailVerifiedAt = new Date(at)
        return { email: user.email, previous: null }
      }
      for (const other of users.values()) { if (other.id !== id && other.email === pending.email) throw new DuplicateValueError('email') }
      const previous = user.email === pending.email ? null : user.email
      user.email = pending.email
      if (pending.passwordHash !== null) user.passwordHash = pending.passwordHash
      user.emailVerifiedAt = new Date(at)
      pendingEmails.delete(id)
      return { email: pending.email, previous }
    },

    async markEmailVerified (id, at) {
      const user = users.get(id)
      if (user !== undefined && user.email !== null) user.emailVerifiedAt = new Date(at)
    },

    async claimByEmail (id, at) {
      const user = users.get(id)
      if (user === undefined) return null
      if (user.emailVerifiedAt !== null) return { removedMobile: null, removedPendingEmail: null }
      const removed = { removedMobile: user.mobile, removedPendingEmail: pendingEmails.get(id)?.email ?? null }
      user.emailVerifiedAt = new Date(at)
      user.mobile = null
      pendingEmails.delete(id)
      return removed
    },

    async setMobile (id, mobile) {
      const user = users.get(id)
      if (user === undefined) return false
      for (const other of users.values()) { if (other.id !== id && other.mobile === mobile) throw new DuplicateValueError('mobile') }
      user.mobile = mobile
      return true
    },

    async setLanguage (id, language: Language) {
      const user = users.get(id)
      if (user !== undefined) user.language = language
    },

    async setTokensValidAfter (id, instant) {
      const user = users.get(id)
      if (user !== undefined) user.tokensValidAfter = new Date(instant)
    },

    async ping () {}
  }
}

/** The SQL adapter's tie-break: lower-case uuids as text sort as PostgreSQL sorts uuids (by their bytes). */
const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

const filesOf = (profile: PhoneProfile | null): string[] =>
  profile === null
    ? []
    : [profile.avatarKey, profile.profileKey, ...profile.verificationFiles.map(file => file.key)].filter(
        (key): key is string => key !== null
      )

/** The SQL unique indexes on avatar, profile and verification file keys. */
function assertFilesFree (wanted: PhoneProfile, held: PhoneProfile): void {
  if (wanted.avatarKey !== null && wanted.avatarKey === held.avatarKey) throw new DuplicateValueError('avatar')
  if (wanted.profileKey !== null && wanted.profileKey === held.profileKey) throw new DuplicateValueError('profile')
  const heldFiles = new Set(held.verificationFiles.map((file) => file.key))
  if (wanted.verificationFiles.some(file => heldFiles.has(file.key))) { throw new DuplicateValueError('verification_files') }
}
