import { asc, sql } from 'drizzle-orm'
import type { PhoneNumber, PhoneProfile, User, UserStatus, UserWithProfile } from '../../domain/user.js'
import type { Database } from './database.js'
import { fileDeletions, pushTokens, userInterests, users, verificationFiles } from './schema.js'

// The users table as the five member stores (accounts, email changes, review, file deletions,
// push tokens) read and write it: the row mapping and the writes two of them share, written once.

export type UserRow = typeof users.$inferSelect

/** The columns of a User (no profile). */
export const coreColumns = {
  id: users.id,
  email: users.email,
  passwordHash: users.passwordHash,
  mobile: users.mobile,
  status: users.status,
  rejectionReason: users.rejectionReason,
  tokensValidAfter: users.tokensValidAfter,
  language: users.language,
  createdAt: users.createdAt,
  decidedAt: users.decidedAt,
  emailVerifiedAt: users.emailVerifiedAt
}

export function toUser (row: Pick<UserRow, keyof typeof coreColumns>): User {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.passwordHash,
    mobile: row.mobile as PhoneNumber | null,
    status: row.status as UserStatus,
    rejectionReason: row.rejectionReason,
    tokensValidAfter: row.tokensValidAfter,
    language: row.language,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    emailVerifiedAt: row.emailVerifiedAt
  }
}

export function toUserWithProfile (
  row: UserRow,
  interestIds: string[],
  files: PhoneProfile['verificationFiles']
): UserWithProfile {
  const profile: PhoneProfile | null =
    row.username === null
      ? null
      : {
          username: row.username,
          name: row.name ?? '',
          birth: row.birth ?? '',
          gender: row.gender ?? 'other',
          carrier: row.carrier,
          foreigner: row.foreigner ?? false,
          uniqueInSite: row.uniqueInSite,
          uniqueKey: row.uniqueKey,
          avatarKey: row.avatarKey,
          profileKey: row.profileKey,
          professionId: row.professionId,
          interestIds,
          verificationFiles: files
        }
  return { ...toUser(row), profile }
}

/** Rows with their profiles: the interests and file records of every row with one, in two queries. */
export async function loadProfiles (db: Database, rows: UserRow[]): Promise<UserWithProfile[]> {
  const withProfile = rows.filter(row => row.username !== null).map(row => row.id)
  const [interestRows, fileRows] =
    withProfile.length === 0
      ? [[], []]
      : await Promise.all([
        db
          .select()
          .from(userInterests)
          .where(sql`${userInterests.userId} in ${withProfile}`)
          .orderBy(asc(userInterests.position)),
        db
          .select()
          .from(verificationFiles)
          .where(sql`${verificationFiles.userId} in ${withProfile}`)
          .orderBy(asc(verificationFiles.displayOrder))
      ])
  return rows.map(row =>
    toUserWithProfile(
      row,
      interestRows.filter(link => link.userId === row.id).map(link => link.interestId),
      fileRows.filter(file => file.userId === row.id).map(({ key, displayOrder }) => ({ key, displayOrder }))
    )
  )
}

/** A json column: parsed by postgres.js, but passed through as text by a driver that does not. */
export function fromJson<T> (value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

export async function upsertPushToken (db: Pick<Database, 'insert'>, userId: string, token: string): Promise<void> {
  // A device token belongs to whoever signed in on that device last.
  await db.insert(pushTokens).values({ token, userId })
    .onConflictDoUpdate({ target: pushTokens.token, set: { userId, updatedAt: sql`now()` } })
}

/** Queues stored files for deletion, in the caller's transaction (a key already queued stays as it is). */
export async function queueFileDeletions (tx: Pick<Database, 'insert'>, keys: string[]): Promise<void> {
  if (keys.length === 0) return
  await tx
    .insert(fileDeletions)
    .values(keys.map(key => ({ key })))
    .onConflictDoNothing()
}

/**
 * A sign-out cutoff that never moves back: of two sign-outs whose writes cross, the later instant
 * stands, so tokens the later one ended stay ended whichever write lands last.
 */
export const laterCutoff = (instant: Date) => {
  const at = sql`${instant.toISOString()}::timestamptz`
  return sql`greatest(coalesce(${users.tokensValidAfter}, ${at}), ${at})`
}
