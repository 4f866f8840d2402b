import type { Language } from '../../../domain/language.js'
import type { NewUser, PhoneNumber, User, UserWithProfile } from '../../../domain/user.js'

/** What every token of a user depends on besides its own id. */
export type Standing = Pick<User, 'status' | 'tokensValidAfter'>

/**
 * The standing with the account's public fields: everything authenticating, refreshing and
 * `GET /auth/me` read, small enough to keep a copy of in Redis (never a secret: no hash in it).
 */
export type AccountCard = Standing & Pick<User, 'email' | 'mobile' | 'createdAt'>

/**
 * The member's account: its identity, its ways in and its sign-out instant. The review status is
 * written by ReviewRepository, an address change by EmailChangeRepository (one store behind them).
 */
export interface AccountRepository {
  /**
   * Inserts the user, profile, interests, files and push token at once; throws DuplicateValueError
   * (an upload key already held by another member counts as a duplicate of its field).
   */
  create(user: NewUser): Promise<UserWithProfile>
  findById(id: string): Promise<User | null>
  /** The user's standing and public fields, or null when there is no such user. */
  findCard(id: string): Promise<AccountCard | null>
  findProfileById(id: string): Promise<UserWithProfile | null>
  /** `email` must already be normalised. */
  findByEmail(email: string): Promise<User | null>
  findByMobile(mobile: PhoneNumber): Promise<User | null>
  /** The member with this number and their profile, in one read (the code login answers it). */
  findProfileByMobile(mobile: PhoneNumber): Promise<UserWithProfile | null>
  /**
   * Deletes the user and everything that is theirs, and in the same transaction queues their stored
   * files for deletion (FileDeletionQueue); answers the queued keys, or null when there was no such user.
   */
  delete(id: string): Promise<string[] | null>
  /** Replaces the password hash; false when there is no such member. */
  setPassword(id: string, passwordHash: string): Promise<boolean>
  /**
   * Moves the member to another number; DuplicateValueError('mobile') when another account holds
   * it; false: no such member.
   */
  setMobile(id: string, mobile: PhoneNumber): Promise<boolean>
  /** Records the language the member's texts are written in from now on. */
  setLanguage(id: string, language: Language): Promise<void>
  /**
   * Account-wide sign-out: tokens issued before `instant` stop working. The cutoff never moves
   * back: an instant earlier than the stored one changes nothing (two sign-outs may land crossed).
   */
  setTokensValidAfter(id: string, instant: Date): Promise<void>
  /** Checks the store answers, for readiness. */
  ping(): Promise<void>
}
