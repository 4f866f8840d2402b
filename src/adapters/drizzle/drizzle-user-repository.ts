import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  getTableColumns,
  ilike,
  inArray,
  lt,
  lte,
  ne,
  or,
  sql,
  type SQL
} from 'drizzle-orm'
import { DuplicateValueError } from '../../domain/errors.js'
import type { NewUser, PhoneNumber, PhoneProfile, User, UserStatus, UserWithProfile } from '../../domain/user.js'
import type { UserPage, UserRepository, UserSearch } from '../../application/ports/user-repository.js'
import type { IdGenerator } from '../../application/ports/id-generator.js'
import { pingDatabase, type Database } from './database.js'
import { fileDeletions, pushTokens, userInterests, users, verificationFiles } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

type UserRow = typeof users.$inferSelect

const coreColumns = {
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

/** The user store on PostgreSQL or PGlite (same schema, same migrations). */
export function createDrizzleUserRepository (
  db: Database,
  ids: IdGenerator,
  options: GuardOptions = {}
): UserRepository {
  const guarded = guardWith(options)
  const loadProfiles = async (rows: UserRow[]): Promise<UserWithProfile[]> => {
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

  // The lookups on every request are prepared once per connection: building and parsing the
  // query each time cost most of a request (bench: 1,300 vs 8,700 primary-key reads/s).
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
        interestIds: sql<unknown>`coalesce((select json_agg(ui.interest_id order by ui.position) from user_interests ui where ui.user_id = users.id), '[]')`,
        files: sql<unknown>`coalesce((select json_agg(json_build_object('key', vf.key, 'displayOrder', vf.display_order) order by vf.display_order) from verification_files vf where vf.user_id = users.id), '[]')`
      })
      .from(users)
      .where(eq(column, sql.placeholder('value')))
      .limit(1)
      .prepare(name)
  // By mobile too: the code login reads the member once and answers the same read.
  const profiles = { id: profileBy(users.id, 'profile_by_id'), mobile: profileBy(users.mobile, 'profile_by_mobile') }
  const findProfile = (by: keyof typeof profiles, value: string): Promise<UserWithProfile | null> =>
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

  const findOne = async (by: keyof typeof lookups, value: string): Promise<User | null> =>
    guarded(async () => {
      const [row] = await lookups[by].execute({ value })
      return row === undefined ? null : toUser(row)
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
          return inserted
        })
        const [created] = await loadProfiles([row!])
        return created!
      }),

    findById: id => findOne('id', id),
    findCard: id =>
      guarded(async () => {
        const [row] = await cardById.execute({ id })
        return row === undefined
          ? null
          : { ...row, status: row.status as UserStatus, mobile: row.mobile as PhoneNumber | null }
      }),
    findByEmail: email => findOne('email', email),
    findByMobile: mobile => findOne('mobile', mobile),

    findProfileById: id => findProfile('id', id),
    findProfileByMobile: mobile => findProfile('mobile', mobile),

    // Interests, file records and push tokens go with the user through ON DELETE CASCADE; the
    // stored files are queued in the same transaction, so a crash cannot forget one.
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
          if (keys.length > 0) {
            await tx
              .insert(fileDeletions)
              .values(keys.map(key => ({ key })))
              .onConflictDoNothing()
          }
          await tx.delete(users).where(eq(users.id, id))
          return keys
        })
      ),

    dueFileDeletions: (now, limit) =>
      guarded(async () => {
        const rows = await db
          .select({ key: fileDeletions.key })
          .from(fileDeletions)
          .where(lte(fileDeletions.notBefore, now))
          .orderBy(asc(fileDeletions.notBefore), asc(fileDeletions.key))
          .limit(limit)
        return rows.map(row => row.key)
      }),

    completeFileDeletion: key =>
      guarded(async () => {
        await db.delete(fileDeletions).where(eq(fileDeletions.key, key))
      }),

    postponeFileDeletion: (key, notBefore) =>
      guarded(async () => {
        await db
          .update(fileDeletions)
          .set({ notBefore, attempts: sql`${fileDeletions.attempts} + 1` })
          .where(eq(fileDeletions.key, key))
      }),

    addPushToken: (userId, token) =>
      guarded(async () => {
        const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId))
        if (owner !== undefined) await upsertPushToken(db, userId, token)
      }),

    listPushTokens: userId =>
      guarded(async () => {
        const rows = await db
          .select({ token: pushTokens.token })
          .from(pushTokens)
          .where(eq(pushTokens.userId, userId))
          .orderBy(asc(pushTokens.token))
        return rows.map(row => row.token)
      }),

    removePushToken: token =>
      guarded(async () => {
        await db.delete(pushTokens).where(eq(pushTokens.token, token))
      }),

    setStatus: (id, status, reason, endSessionsAt) =>
      guarded(async () => {
        // The right-hand sides read the row as it was: a repeated decision keeps its first stamp.
        const decidedAt =
          status === 'pending'
            ? null
            : sql`case when ${users.status} = ${status} and ${users.decidedAt} is not null then ${users.decidedAt} else now() end`
        const changes = {
          status,
          rejectionReason: reason,
          decidedAt,
          ...(endSessionsAt === undefined ? {} : { tokensValidAfter: endSessionsAt })
        }
        const updated = await db.update(users).set(changes).where(eq(users.id, id)).returning({ id: users.id })
        return updated.length > 0
      }),

    listByStatus: (status, offset, limit) =>
      guarded(async (): Promise<UserPage> => {
        const where = status === null ? undefined : and(eq(users.status, status))
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(users)
            .where(where)
            .orderBy(desc(users.createdAt), desc(users.id))
            .offset(offset)
            .limit(limit),
          db.select({ value: count() }).from(users).where(where)
        ])
        return { users: await loadProfiles(rows), total: Number(total?.value ?? 0) }
      }),

    // No trigram index: the console searches a members table of this size by a plain ILIKE scan
    // in well under a request's time, and the review queue itself (status, oldest first) reads
    // users_status_created_idx.
    search: query =>
      guarded(async (): Promise<UserPage> => {
        const where = searchCondition(query)
        const order =
          query.order === 'oldest' ? [asc(users.createdAt), asc(users.id)] : [desc(users.createdAt), desc(users.id)]
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(users)
            .where(where)
            .orderBy(...order)
            .offset(query.offset)
            .limit(query.limit),
          db.select({ value: count() }).from(users).where(where)
        ])
        return { users: await loadProfiles(rows), total: Number(total?.value ?? 0) }
      }),

    // `=` never matches a null key, so members without one share it with nobody.
    findSharingUniqueKey: id =>
      guarded(async () => {
        const keyOf = db.select({ key: users.uniqueKey }).from(users).where(eq(users.id, id))
        return db
          .select({ id: users.id, username: users.username, status: users.status })
          .from(users)
          .where(and(eq(users.uniqueKey, sql`(${keyOf})`), ne(users.id, id)))
          .orderBy(asc(users.createdAt), asc(users.id))
      }),

    // The member's row is locked like `delete` locks it, so a purge and a deletion of one member
    // queue each key once and never see each other's half.
    purgeVerificationFiles: id =>
      guarded(() =>
        db.transaction(async tx => {
          const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update')
          if (owner === undefined) return null
          const removed = await tx
            .delete(verificationFiles)
            .where(eq(verificationFiles.userId, id))
            .returning({ key: verificationFiles.key })
          const keys = removed.map(file => file.key)
          if (keys.length > 0) {
            await tx
              .insert(fileDeletions)
              .values(keys.map(key => ({ key })))
              .onConflictDoNothing()
          }
          return keys
        })
      ),

    dueVerificationPurges: (decidedBefore, limit) =>
      guarded(async () => {
        const rows = await db
          .select({ id: users.id })
          .from(users)
          .where(
            and(
              inArray(users.status, ['approved', 'rejected']),
              lt(users.decidedAt, decidedBefore),
              exists(
                db
                  .select({ one: sql`1` })
                  .from(verificationFiles)
                  .where(eq(verificationFiles.userId, users.id))
              )
            )
          )
          .orderBy(asc(users.decidedAt), asc(users.id))
          .limit(limit)
        return rows.map(row => row.id)
      }),

    setPassword: (id, passwordHash) =>
      guarded(
        async () =>
          (await db.update(users).set({ passwordHash }).where(eq(users.id, id)).returning({ id: users.id })).length > 0
      ),

    async stageEmail (id, email, passwordHash) {
      // The unique index decides at confirmation; this early look spares the member a code for an address they cannot have.
      const [holder] = await guarded(() =>
        db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.email, email), ne(users.id, id)))
          .limit(1)
      )
      if (holder !== undefined) throw new DuplicateValueError('email')
      return guarded(
        async () =>
          (
            await db
              .update(users)
              .set({ pendingEmail: email, pendingPasswordHash: passwordHash })
              .where(eq(users.id, id))
              .returning({ id: users.id })
          ).length > 0
      )
    },

    findPendingEmail: id =>
      guarded(async () => {
        const [row] = await db.select({ pendingEmail: users.pendingEmail }).from(users).where(eq(users.id, id)).limit(1)
        return row?.pendingEmail ?? null
      }),

    // One statement: the move, the staged password and the verification instant land together,
    // and the unique index refuses an address another account took since it was staged.
    confirmEmail: (id, at) =>
      guarded(() =>
        db.transaction(async tx => {
          const [row] = await tx
            .select({ email: users.email, pendingEmail: users.pendingEmail })
            .from(users)
            .where(eq(users.id, id))
            .for('update')
          if (row === undefined) return null
          if (row.pendingEmail === null) {
            if (row.email === null) return null
            await tx.update(users).set({ emailVerifiedAt: at }).where(eq(users.id, id))
            return { email: row.email, previous: null }
          }
          await tx
            .update(users)
            .set({
              email: row.pendingEmail,
              passwordHash: sql`coalesce(${users.pendingPasswordHash}, ${users.passwordHash})`,
              emailVerifiedAt: at,
              pendingEmail: null,
              pendingPasswordHash: null
            })
            .where(eq(users.id, id))
          return { email: row.pendingEmail, previous: row.email === row.pendingEmail ? null : row.email }
        })
      ),

    markEmailVerified: (id, at) =>
      guarded(async () => {
        await db
          .update(users)
          .set({ emailVerifiedAt: at })
          .where(and(eq(users.id, id), sql`${users.email} is not null`))
      }),

    claimByEmail: (id, at) =>
      guarded(() =>
        db.transaction(async tx => {
          const [row] = await tx
            .select({ verifiedAt: users.emailVerifiedAt, mobile: users.mobile, pendingEmail: users.pendingEmail })
            .from(users)
            .where(eq(users.id, id))
            .for('update')
          if (row === undefined) return null
          if (row.verifiedAt !== null) return { removedMobile: null, removedPendingEmail: null }
          await tx
            .update(users)
            .set({ emailVerifiedAt: at, mobile: null, pendingEmail: null, pendingPasswordHash: null })
            .where(eq(users.id, id))
          return { removedMobile: row.mobile as PhoneNumber | null, removedPendingEmail: row.pendingEmail }
        })
      ),

    setMobile: (id, mobile) =>
      guarded(
        async () =>
          (await db.update(users).set({ mobile }).where(eq(users.id, id)).returning({ id: users.id })).length > 0
      ),

    setLanguage: (id, language) =>
      guarded(async () => {
        await db.update(users).set({ language }).where(eq(users.id, id))
      }),

    setTokensValidAfter: (id, instant) =>
      guarded(async () => {
        await db.update(users).set({ tokensValidAfter: instant }).where(eq(users.id, id))
      }),

    ping: () => guarded(() => pingDatabase(db))
  }
}

function searchCondition (query: UserSearch): SQL | undefined {
  const conditions: Array<SQL | undefined> = []
  if (query.status !== null) conditions.push(eq(users.status, query.status))
  if (query.mobile !== null) conditions.push(eq(users.mobile, query.mobile))
  if (query.text !== null) {
    // Typed text, never a pattern: the escape character and the wildcards match themselves.
    const pattern = `%${query.text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    conditions.push(or(ilike(users.username, pattern), ilike(users.name, pattern), ilike(users.email, pattern)))
  }
  return and(...conditions)
}

async function upsertPushToken (db: Pick<Database, 'insert'>, userId: string, token: string): Promise<void> {
  // A device token belongs to whoever signed in on that device last.
  await db.insert(pushTokens).values({ token, userId })
    .onConflictDoUpdate({ target: pushTokens.token, set: { userId, updatedAt: sql`now()` } })
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

/** A json column: parsed by postgres.js, but passed through as text by a driver that does not. */
function fromJson<T> (value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

function toUser (row: Pick<UserRow, keyof typeof coreColumns>): User {
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

function toUserWithProfile (
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
