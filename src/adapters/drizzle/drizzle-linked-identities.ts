import { and, asc, eq } from 'drizzle-orm'
import type { LinkedIdentity } from '../../domain/sign-in-provider.js'
import type { LinkedIdentities } from '../../application/ports/records/linked-identities.js'
import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import type { Database } from './database.js'
import { linkedIdentities } from './schema.js'
import { guardWith, isForeignKeyViolation, type GuardOptions } from './translate-database-error.js'
import { queueProviderRevocations } from './drizzle-provider-revocations.js'

/** Members' identities at Kakao, Apple and Google, on PostgreSQL or PGlite. */
export function createDrizzleLinkedIdentities (
  db: Database,
  ids: IdGenerator,
  options: GuardOptions = {}
): LinkedIdentities {
  const guarded = guardWith(options)
  const identity = (provider: LinkedIdentity['provider'], subject: string) =>
    and(eq(linkedIdentities.provider, provider), eq(linkedIdentities.subject, subject))

  return {
    // The foreign key answers "no such member" in the insert itself, so a deletion racing the link
    // cannot leave an identity behind; the primary key answers a (provider, subject) linked already.
    link: linked =>
      guarded(async () => {
        try {
          await db.insert(linkedIdentities).values({
            userId: linked.memberId,
            provider: linked.provider,
            subject: linked.subject,
            email: linked.email,
            emailVerified: linked.emailVerified,
            name: linked.name,
            linkedAt: linked.linkedAt,
            lastUsedAt: linked.lastUsedAt
          })
          return true
        } catch (error) {
          if (isForeignKeyViolation(error)) return false
          throw error
        }
      }),

    find: (provider, subject) =>
      guarded(async () => {
        const [row] = await db.select().from(linkedIdentities).where(identity(provider, subject))
        return row === undefined ? null : toLinkedIdentity(row)
      }),

    listByMember: memberId =>
      guarded(async () => {
        const rows = await db
          .select()
          .from(linkedIdentities)
          .where(eq(linkedIdentities.userId, memberId))
          .orderBy(asc(linkedIdentities.linkedAt), asc(linkedIdentities.provider), asc(linkedIdentities.subject))
        return rows.map(toLinkedIdentity)
      }),

    touch: (provider, subject, at, email) =>
      guarded(async () => {
        await db
          .update(linkedIdentities)
          .set({ lastUsedAt: at, email: email.email, emailVerified: email.verified })
          .where(identity(provider, subject))
      }),

    // A token replaced is not revoked: at Apple, revoking one of a member's tokens may end the
    // app's whole authorisation, the new token's with it.
    keepRefreshToken: (provider, subject, token) =>
      guarded(async () => {
        await db
          .update(linkedIdentities)
          .set({ refreshToken: token.token, refreshClientId: token.clientId })
          .where(identity(provider, subject))
      }),

    unlink: (memberId, provider, subject) =>
      guarded(() =>
        db.transaction(async tx => {
          const removed = await tx
            .delete(linkedIdentities)
            .where(and(eq(linkedIdentities.userId, memberId), identity(provider, subject)))
            .returning({ token: linkedIdentities.refreshToken, clientId: linkedIdentities.refreshClientId })
          await queueProviderRevocations(tx, ids, removed.map(kept => ({ provider, ...kept })))
          return removed.length > 0
        })
      )
  }
}

function toLinkedIdentity (row: typeof linkedIdentities.$inferSelect): LinkedIdentity {
  return {
    memberId: row.userId,
    provider: row.provider,
    subject: row.subject,
    email: row.email,
    emailVerified: row.emailVerified,
    name: row.name,
    linkedAt: row.linkedAt,
    lastUsedAt: row.lastUsedAt
  }
}
