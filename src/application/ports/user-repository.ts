import type { Language } from '../../domain/language.js'
import type { NewUser, PhoneNumber, User, UserStatus, UserWithProfile } from '../../domain/user.js'

/** What every token of a user depends on besides its own id. */
export type Standing = Pick<User, 'status' | 'tokensValidAfter'>

/**
 * The standing with the account's public fields: everything authenticating, refreshing and
 * `GET /auth/me` read, small enough to keep a copy of in Redis (never a secret: no hash in it).
 */
export type AccountCard = Standing & Pick<User, 'email' | 'mobile' | 'createdAt'>

export interface UserPage { users: UserWithProfile[], total: number }

/** The review console's search: every given criterion must match. */
export interface UserSearch {
  status: UserStatus | null
  /** A case-insensitive substring of the username, the name or the email; wildcards in it are plain characters. */
  text: string | null
  /** Exactly this number (already parsed by the PhoneParser port). */
  mobile: PhoneNumber | null
  /** `oldest`: sign-up order (the review queue); `newest`: latest sign-up first. */
  order: 'oldest' | 'newest'
  offset: number
  limit: number
}

/** Another account of the same person, as its identity verification tells: enough to link to it. */
export interface SharedKeyHolder { id: string, username: string | null, status: UserStatus }

export interface UserRepository {
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
   * files for deletion; answers the queued keys, or null when there was no such user.
   */
  delete(id: string): Promise<string[] | null>
  /** Up to `limit` queued file keys due at `now`, oldest first. */
  dueFileDeletions(now: Date, limit: number): Promise<string[]>
  /** The file is gone from the store: it leaves the queue. */
  completeFileDeletion(key: string): Promise<void>
  /** Deleting the file failed: it stays queued and is due again at `notBefore`. */
  postponeFileDeletion(key: string, notBefore: Date): Promise<void>
  /** Adds a device token; a token already held by another user moves to this one. */
  addPushToken(userId: string, token: string): Promise<void>
  listPushTokens(userId: string): Promise<string[]>
  removePushToken(token: string): Promise<void>
  /**
   * Sets the approval status (and the rejection reason) and, with `endSessionsAt`, the sign-out
   * instant in the same write; false when there is no such user. The same write stamps `decidedAt`
   * when the status becomes approved or rejected (a repeated decision keeps the first stamp) and
   * clears it when the status goes back to pending.
   */
  setStatus(id: string, status: UserStatus, reason: string | null, endSessionsAt?: Date): Promise<boolean>
  /** Newest first. */
  listByStatus(status: UserStatus | null, offset: number, limit: number): Promise<UserPage>
  /** One page of the members matching the query, with their profiles, and how many match in all. */
  search(query: UserSearch): Promise<UserPage>
  /**
   * The other accounts carrying this member's `uniqueKey` (one person behind several accounts),
   * oldest first; none when the member has no key or does not exist.
   */
  findSharingUniqueKey(id: string): Promise<SharedKeyHolder[]>
  /**
   * Deletes the member's verification file records and, in the same transaction, queues their
   * stored files for deletion (as `delete` does); the avatar and profile photo stay. Answers the
   * queued keys, or null when there is no such member.
   */
  purgeVerificationFiles(id: string): Promise<string[] | null>
  /**
   * Up to `limit` ids of members approved or rejected before `decidedBefore` who still have
   * verification files, earliest decision first.
   */
  dueVerificationPurges(decidedBefore: Date, limit: number): Promise<string[]>
  /** Replaces the password hash; false when there is no such member. */
  setPassword(id: string, passwordHash: string): Promise<boolean>
  /**
   * Holds `email` (normalised) as the address the member is moving to, with the password that
   * becomes theirs with it (null: they keep their own), until confirmEmail. Replaces an earlier
   * pending one. Throws DuplicateValueError('email') when another account holds the address;
   * false when there is no such member.
   */
  stageEmail(id: string, email: string, passwordHash: string | null): Promise<boolean>
  /** The address staged by stageEmail and not yet confirmed, or null. */
  findPendingEmail(id: string): Promise<string | null>
  /**
   * The member proved they read mail at the pending address (moved to `email`, with its staged
   * password) or, with none pending, at their current one; either way `emailVerifiedAt` = `at`.
   * Answers the address now verified and the one it replaced (null: none, or unchanged), or null
   * when there is no member or no address to verify. Throws DuplicateValueError('email') when
   * another account took the pending address in the meantime (then nothing changes).
   */
  confirmEmail(id: string, at: Date): Promise<{ email: string, previous: string | null } | null>
  /** The member proved their current address at `at` (a pending change, if any, stays pending). */
  markEmailVerified(id: string, at: Date): Promise<void>
  /**
   * The owner of the address claims the account (a password reset proved it): marks the address
   * proven and, when it was not proven before, removes in the same step every other way in added
   * before the proof (the number, an address change still waiting for its code). Answers what it
   * removed; null when there is no such member.
   */
  claimByEmail(
    id: string,
    at: Date
  ): Promise<{ removedMobile: PhoneNumber | null, removedPendingEmail: string | null } | null>
  /** Moves the member to another number; DuplicateValueError('mobile') when another account holds it; false: no such member. */
  setMobile(id: string, mobile: PhoneNumber): Promise<boolean>
  /** Records the language the member's texts are written in from now on. */
  setLanguage(id: string, language: Language): Promise<void>
  /** Account-wide sign-out: tokens issued before `instant` stop working. */
  setTokensValidAfter(id: string, instant: Date): Promise<void>
  /** Checks the store answers, for readiness. */
  ping(): Promise<void>
}
