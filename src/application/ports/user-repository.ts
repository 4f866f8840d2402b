import type { Language } from '../../domain/language.js'
import type { NewUser, PhoneNumber, User, UserStatus, UserWithProfile } from '../../domain/user.js'

/** What every token of a user depends on besides its own id: refreshing reads only this. */
export type Standing = Pick<User, 'status' | 'tokensValidAfter'>

export interface UserPage { users: UserWithProfile[], total: number }

export interface UserRepository {
  /**
   * Inserts the user, profile, interests, files and push token at once; throws DuplicateValueError
   * (an upload key already held by another member counts as a duplicate of its field).
   */
  create (user: NewUser): Promise<UserWithProfile>
  findById (id: string): Promise<User | null>
  /** The user's status and sign-out instant, or null when there is no such user. */
  findStanding (id: string): Promise<Standing | null>
  findProfileById (id: string): Promise<UserWithProfile | null>
  /** `email` must already be normalised. */
  findByEmail (email: string): Promise<User | null>
  findByMobile (mobile: PhoneNumber): Promise<User | null>
  /**
   * Deletes the user and everything that is theirs, and in the same transaction queues their stored
   * files for deletion; answers the queued keys, or null when there was no such user.
   */
  delete (id: string): Promise<string[] | null>
  /** Up to `limit` queued file keys due at `now`, oldest first. */
  dueFileDeletions (now: Date, limit: number): Promise<string[]>
  /** The file is gone from the store: it leaves the queue. */
  completeFileDeletion (key: string): Promise<void>
  /** Deleting the file failed: it stays queued and is due again at `notBefore`. */
  postponeFileDeletion (key: string, notBefore: Date): Promise<void>
  /** Adds a device token; a token already held by another user moves to this one. */
  addPushToken (userId: string, token: string): Promise<void>
  listPushTokens (userId: string): Promise<string[]>
  removePushToken (token: string): Promise<void>
  /**
   * Sets the approval status (and the rejection reason) and, with `endSessionsAt`, the sign-out
   * instant in the same write; false when there is no such user.
   */
  setStatus (id: string, status: UserStatus, reason: string | null, endSessionsAt?: Date): Promise<boolean>
  /** Newest first. */
  listByStatus (status: UserStatus | null, offset: number, limit: number): Promise<UserPage>
  /** Records the language the member's texts are written in from now on. */
  setLanguage (id: string, language: Language): Promise<void>
  /** Account-wide sign-out: tokens issued before `instant` stop working. */
  setTokensValidAfter (id: string, instant: Date): Promise<void>
  /** Checks the store answers, for readiness. */
  ping (): Promise<void>
}
