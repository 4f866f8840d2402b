import { asc, eq } from 'drizzle-orm'
import type { PushTokenRepository } from '../../application/ports/records/push-token-repository.js'
import type { Database } from './database.js'
import { pushTokens, users } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'
import { upsertPushToken } from './drizzle-user-rows.js'

/** Members' device tokens on PostgreSQL or PGlite; they go with their member (ON DELETE CASCADE). */
export function createDrizzlePushTokenRepository (db: Database, options: GuardOptions = {}): PushTokenRepository {
  const guarded = guardWith(options)

  return {
    add: (userId, token) =>
      guarded(async () => {
        const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId))
        if (owner !== undefined) await upsertPushToken(db, userId, token)
      }),

    list: userId =>
      guarded(async () => {
        const rows = await db
          .select({ token: pushTokens.token })
          .from(pushTokens)
          .where(eq(pushTokens.userId, userId))
          .orderBy(asc(pushTokens.token))
        return rows.map(row => row.token)
      }),

    remove: token =>
      guarded(async () => {
        await db.delete(pushTokens).where(eq(pushTokens.token, token))
      })
  }
}
