import { eq, getTableColumns, sql } from 'drizzle-orm'
import type { PhoneNumber, PhoneProfile, User, UserStatus, UserWithProfile } from '../../domain/user.js'
import type { AccountRepository } from '../../application/ports/records/account-repository.js'
import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import { pingDatabase, type Database } from './database.js'
import { linkedIdentities, userInterests, users, verificationFiles } from './schema.js'
import { insertIdentity } from './drizzle-identity-confirmations.js'
import { queueProviderRevocations } from './drizzle-provider-revocations.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'
import {
  coreColumns,
  fromJson,
  laterCutoff,
  loadProfiles,
  queueFileDeletions,
  toUser,
  toUserWithProfile,
  upsertPushToken
} from './drizzle-user-rows.js'

/** The member accounts on PostgreSQL or PGlite (same schema, same migrations). */
export function createDrizzleAccountRepository (
  db: Database,
  ids: IdGenerator,
  options: GuardOptions = {}
): AccountRepository {
  const guarded = guardWith(options)
  const { findOne, findCard, findProfile } = prepareLookups(db, guarded)
  /** One change of the member's row; false when there is no such member. */
  const setting = (id: string, changes: Partial<typeof users.$inferInsert>) =>
    guarded(async () => {
      const updated = await db.update(users).set(changes).where(eq(users.id, id)).returning({ id: users.id })
      return updated.length > 0
    })

  return {
    create: input =>
      guarded(async () => {
        const { profile } = input
        const [row] = await db.transaction(async tx => {
          const inserted = await tx
            .insert(users)
            .values({
              id: input.id,
              email: input.email,
              passwordHash: input.passwordHash,
              mobile: input.mobile,
              status: input.status,
              // An account approved at sign-up (the email door) was decided when it was created.
              decidedAt: input.status === 'pending' ? null : sql`now()`,
              language: input.language,
              ...(profile === null ? {} : profileColumns(profile))
            })
            .returning()
          if (profile !== null && profile.interestIds.length > 0) {
            await tx
              .insert(userInterests)
              .values(profile.interestIds.map((interestId, position) => ({ userId: input.id, interestId, position })))
          }
          if (profile !== null && profile.verificationFiles.length > 0) {
            await tx
              .insert(verificationFiles)
              .values(profile.verificationFiles.map(file => ({ id: ids.newId(), userId: input.id, ...file })))
          }
          if (input.pushToken !== null) await upsertPushToken(tx, input.id, input.pushToken)
          // A replayed verification id fails the whole sign-up: no account without its confirmation.
          if (input.identity != null) await insertIdentity(tx, input.id, input.identity)
          return inserted
        })
        const [created] = await loadProfiles(db, [row!])
        return created!
      }),

    findById: id => findOne('id', id),
    findCard,
    findByEmail: email => findOne('email', email),
    findByMobile: mobile => findOne('mobile', mobile),

    findProfileById: id => findProfile('id', id),
    findProfileByMobile: mobile => findProfile('mobile', mobile),

    // Interests, file records, push tokens, provider identities and passkeys go with the user
    // through ON DELETE CASCADE; the stored files and the identities' kept refresh tokens are
    // queued in the same transaction, so a crash cannot forget one.
    delete: id =>
      guarded(() =>
        db.transaction(async tx => {
          const [owner] = await tx
            .select({ avatarKey: users.avatarKey, profileKey: users.profileKey })
            .from(users)
            .where(eq(users.id, id))
            .for('update')
          if (owner === undefined) return null
          const files = await tx
            .select({ key: verificationFiles.key })
            .from(verificationFiles)
            .where(eq(verificationFiles.userId, id))
          const keys = [owner.avatarKey, owner.profileKey, ...files.map(file => file.key)].filter(
            (key): key is string => key !== null
          )
          await queueFileDeletions(tx, keys)
          const kept = await tx
            .select({
              provider: linkedIdentities.provider,
              token: linkedIdentities.refreshToken,
              clientId: linkedIdentities.refreshClientId
            })
            .from(linkedIdentities)
            .where(eq(linkedIdentities.userId, id))
          await queueProviderRevocations(tx, ids, kept)
          await tx.delete(users).where(eq(users.id, id))
          return keys
        })
      ),

    setPassword: (id, passwordHash) => setting(id, { passwordHash }),
    setMobile: (id, mobile) => setting(id, { mobile }),

    setLanguage: (id, language) =>
      guarded(async () => {
        await db.update(users).set({ language }).where(eq(users.id, id))
      }),

    setTokensValidAfter: (id, instant) =>
      guarded(async () => {
        await db.update(users).set({ tokensValidAfter: laterCutoff(instant) }).where(eq(users.id, id))
      }),

    ping: () => guarded(() => pingDatabase(db))
  }
}

/**
 * The lookups on every request, prepared once per connection: building and parsing the query each
 * time cost most of a request (bench: 1,300 vs 8,700 primary-key reads/s).
 */
function prepareLookups (db: Database, guarded: ReturnType<typeof guardWith>) {
  const byColumn = (column: typeof users.id | typeof users.email | typeof users.mobile, name: string) =>
    db
      .select(coreColumns)
      .from(users)
      .where(eq(column, sql.placeholder('value')))
      .limit(1)
      .prepare(name)
  const lookups = {
    id: byColumn(users.id, 'user_by_id'),
    email: byColumn(users.email, 'user_by_email'),
    mobile: byColumn(users.mobile, 'user_by_mobile')
  }
  const cardById = db
    .select({
      status: users.status,
      tokensValidAfter: users.tokensValidAfter,
      email: users.email,
      mobile: users.mobile,
      createdAt: users.createdAt
    })
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .limit(1)
    .prepare('card_by_id')
  // The phone door's member read (every screen of the phone app): the row with its interests and
  // file records aggregated as JSON, one prepared statement instead of three unprepared queries
  // (bench: GET /api/users/me/ spent a fifth of its CPU in drizzle building them).
  // Written out qualified: drizzle leaves a one-table select's columns bare, and a bare "id" in the
  // subquery would be the file's own id, not the user's.
  const profileBy = (column: typeof users.id | typeof users.mobile, name: string) =>
    db
      .select({
        ...getTableColumns(users),
        interestIds: sql<unknown>`coalesce((select json_agg(ui.interest_id order by ui.position)
          from user_interests ui where ui.user_id = users.id), '[]')`,
        files: sql<unknown>`coalesce((select json_agg(json_build_object('key', vf.key,
          'displayOrder', vf.display_order) order by vf.display_order)
          from verification_files vf where vf.user_id = users.id), '[]')`
      })
      .from(users)
      .where(eq(column, sql.placeholder('value')))
      .limit(1)
      .prepare(name)
  // By mobile too: the code login reads the member once and answers the same read.
  const profiles = { id: profileBy(users.id, 'profile_by_id'), mobile: profileBy(users.mobile, 'profile_by_mobile') }

  return {
    findOne: (by: keyof typeof lookups, value: string): Promise<User | null> =>
      guarded(async () => {
        const [row] = await lookups[by].execute({ value })
        return row === undefined ? null : toUser(row)
      }),
    findCard: (id: string) =>
      guarded(async () => {
        const [row] = await cardById.execute({ id })
        return row === undefined
          ? null
          : { ...row, status: row.status as UserStatus, mobile: row.mobile as PhoneNumber | null }
      }),
    findProfile: (by: keyof typeof profiles, value: string): Promise<UserWithProfile | null> =>
      guarded(async () => {
        const [row] = await profiles[by].execute({ value })
        if (row === undefined) return null
        const { interestIds, files, ...columns } = row
        return toUserWithProfile(
          columns,
          fromJson<string[]>(interestIds),
          fromJson<PhoneProfile['verificationFiles']>(files)
        )
      })
  }
}

function profileColumns (profile: PhoneProfile) {
  return {
    username: profile.username,
    name: profile.name,
    birth: profile.birth,
    gender: profile.gender,
    carrier: profile.carrier,
    foreigner: profile.foreigner,
    uniqueInSite: profile.uniqueInSite,
    uniqueKey: profile.uniqueKey,
    avatarKey: profile.avatarKey,
    profileKey: profile.profileKey,
    professionId: profile.professionId
  }
}
