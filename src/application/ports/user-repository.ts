import type { NewUser, PhoneNumber, User, UserStatus, UserWithProfile } from '../../domain/user.js'

export interface UserPage { users: UserWithProfile[], total: number }

export interface UserRepository {
  /** Inserts the user, profile, interests, files and push token at once; throws DuplicateValueError. */
  create (user: NewUser): Promise<UserWithProfile>
  findById (id: string): Promise<User | null>
  findProfileById (id: string): Promise<UserWithProfile | null>
  /** `email` must already be normalised. */
  findByEmail (email: string): Promise<User | null>
  findByMobile (mobile: PhoneNumber): Promise<User | null>
  /** Deletes the user and everything that is theirs; false when there was no such user. */
  delete (id: string): Promise<boolean>
  /** Adds a device token; a token already held by another user moves to this one. */
  addPushToken (userId: string, token: string): Promise<void>
  listPushTokens (userId: string): Promise<string[]>
  removePushToken (token: string): Promise<void>
  /** Sets the approval status (and the rejection reason); false when there is no such user. */
  setStatus (id: string, status: UserStatus, reason: string | null): Promise<boolean>
  /** Newest first. */
  listByStatus (status: UserStatus | null, offset: number, limit: number): Promise<UserPage>
  /** Account-wide sign-out: tokens issued before `instant` stop working. */
  setTokensValidAfter (id: string, instant: Date): Promise<void>
  /** Checks the store answers, for readiness. */
  ping (): Promise<void>
}
