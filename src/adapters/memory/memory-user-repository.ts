import { DuplicateValueError } from '../../domain/errors.js'
import type { Language } from '../../domain/language.js'
import type { NewUser, PhoneNumber, PhoneProfile, User, UserStatus, UserWithProfile } from '../../domain/user.js'
import type { Standing, UserPage, UserRepository } from '../../application/ports/user-repository.js'
import type { Clock } from '../../application/ports/clock.js'

/**
 * The in-process twin of the SQL repository, keeping its invariants: unique email, mobile and
 * username, cascading deletion, one owner per push token. Copies on the way in and out so callers
 * cannot mutate stored state.
 */
export class MemoryUserRepository implements UserRepository {
  private readonly users = new Map<string, UserWithProfile>()
  private readonly pushTokens = new Map<string, { userId: string, at: number }>()
  private sequence = 0
  private readonly order = new Map<string, number>()
  private readonly fileDeletions = new Map<string, { queuedAt: number, notBefore: number }>()

  constructor (private readonly clock: Clock) {}

  async create (input: NewUser): Promise<UserWithProfile> {
    for (const other of this.users.values()) {
      if (input.email !== null && other.email === input.email) throw new DuplicateValueError('email')
      if (input.mobile !== null && other.mobile === input.mobile) throw new DuplicateValueError('mobile')
      if (input.profile !== null && other.profile?.username === input.profile.username) throw new DuplicateValueError('username')
      if (input.profile !== null && other.profile !== null) assertFilesFree(input.profile, other.profile)
    }
    if (input.profile !== null && new Set(input.profile.verificationFiles.map((file) => file.key)).size < input.profile.verificationFiles.length) {
      throw new DuplicateValueError('verification_files')
    }
    const { pushToken, ...fields } = input
    const user: UserWithProfile = structuredClone({ ...fields, rejectionReason: null, tokensValidAfter: null, createdAt: this.clock.now() })
    this.users.set(user.id, user)
    this.order.set(user.id, this.sequence++)
    if (pushToken !== null) await this.addPushToken(user.id, pushToken)
    return structuredClone(user)
  }

  async findById (id: string): Promise<User | null> {
    const user = this.users.get(id)
    return user === undefined ? null : this.copyCore(user)
  }

  async findStanding (id: string): Promise<Standing | null> {
    const user = this.users.get(id)
    return user === undefined ? null : { status: user.status, tokensValidAfter: user.tokensValidAfter === null ? null : new Date(user.tokensValidAfter) }
  }

  async findProfileById (id: string): Promise<UserWithProfile | null> {
    const user = this.users.get(id)
    return user === undefined ? null : structuredClone(user)
  }

  async findByEmail (email: string): Promise<User | null> {
    return this.findWhere((user) => user.email === email)
  }

  async findByMobile (mobile: PhoneNumber): Promise<User | null> {
    return this.findWhere((user) => user.mobile === mobile)
  }

  async delete (id: string): Promise<string[] | null> {
    const user = this.users.get(id)
    if (user === undefined) return null
    for (const [token, owner] of this.pushTokens) if (owner.userId === id) this.pushTokens.delete(token)
    this.users.delete(id)
    const keys = filesOf(user.profile)
    const now = this.clock.now().getTime()
    for (const key of keys) if (!this.fileDeletions.has(key)) this.fileDeletions.set(key, { queuedAt: this.sequence++, notBefore: now })
    return keys
  }

  async dueFileDeletions (now: Date, limit: number): Promise<string[]> {
    return [...this.fileDeletions]
      .filter(([, entry]) => entry.notBefore <= now.getTime())
      .sort(([keyA, a], [keyB, b]) => a.notBefore - b.notBefore || (keyA < keyB ? -1 : 1))
      .slice(0, limit)
      .map(([key]) => key)
  }

  async completeFileDeletion (key: string): Promise<void> {
    this.fileDeletions.delete(key)
  }

  async postponeFileDeletion (key: string, notBefore: Date): Promise<void> {
    const entry = this.fileDeletions.get(key)
    if (entry !== undefined) entry.notBefore = notBefore.getTime()
  }

  async addPushToken (userId: string, token: string): Promise<void> {
    if (!this.users.has(userId)) return
    this.pushTokens.set(token, { userId, at: this.sequence++ })
  }

  async listPushTokens (userId: string): Promise<string[]> {
    return [...this.pushTokens].filter(([, owner]) => owner.userId === userId).map(([token]) => token).sort()
  }

  async removePushToken (token: string): Promise<void> {
    this.pushTokens.delete(token)
  }

  async setStatus (id: string, status: UserStatus, reason: string | null, endSessionsAt?: Date): Promise<boolean> {
    const user = this.users.get(id)
    if (user === undefined) return false
    user.status = status
    user.rejectionReason = reason
    if (endSessionsAt !== undefined) user.tokensValidAfter = new Date(endSessionsAt)
    return true
  }

  async listByStatus (status: UserStatus | null, offset: number, limit: number): Promise<UserPage> {
    const matching = [...this.users.values()]
      .filter((user) => status === null || user.status === status)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || this.order.get(b.id)! - this.order.get(a.id)!)
    return { users: structuredClone(matching.slice(offset, offset + limit)), total: matching.length }
  }

  async setLanguage (id: string, language: Language): Promise<void> {
    const user = this.users.get(id)
    if (user !== undefined) user.language = language
  }

  async setTokensValidAfter (id: string, instant: Date): Promise<void> {
    const user = this.users.get(id)
    if (user !== undefined) user.tokensValidAfter = new Date(instant)
  }

  async ping (): Promise<void> {}

  private findWhere (test: (user: UserWithProfile) => boolean): User | null {
    for (const user of this.users.values()) if (test(user)) return this.copyCore(user)
    return null
  }

  private copyCore (user: UserWithProfile): User {
    const { profile: _profile, ...core } = user
    return structuredClone(core)
  }
}

const filesOf = (profile: PhoneProfile | null): string[] => profile === null
  ? []
  : [profile.avatarKey, profile.profileKey, ...profile.verificationFiles.map((file) => file.key)].filter((key): key is string => key !== null)

/** The SQL unique indexes on avatar, profile and verification file keys. */
function assertFilesFree (wanted: PhoneProfile, held: PhoneProfile): void {
  if (wanted.avatarKey !== null && wanted.avatarKey === held.avatarKey) throw new DuplicateValueError('avatar')
  if (wanted.profileKey !== null && wanted.profileKey === held.profileKey) throw new DuplicateValueError('profile')
  const heldFiles = new Set(held.verificationFiles.map((file) => file.key))
  if (wanted.verificationFiles.some((file) => heldFiles.has(file.key))) throw new DuplicateValueError('verification_files')
}
