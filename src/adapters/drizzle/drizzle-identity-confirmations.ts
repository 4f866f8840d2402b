import { and, asc, eq, ne, sql } from 'drizzle-orm'
import type { IdentityConfirmation } from '../../domain/identity.js'
import type { PhoneNumber } from '../../domain/user.js'
import type { IdentityConfirmations } from '../../application/ports/records/identity-confirmations.js'
import type { Database } from './database.js'
import { identityVerificationUses, memberIdentities, users } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

/** The members' confirmed identities and the verification ids ever used, on PostgreSQL or PGlite. */
export function createDrizzleIdentityConfirmations (db: Database, options: GuardOptions = {}): IdentityConfirmations {
  const guarded = guardWith(options)
  return {
    // The member's row is locked from the check to the writes, so a deletion cannot slip between
    // them, and two attaches to one member queue: the second meets the first's row (a duplicate).
    attach: (memberId, confirmation, carrier) =>
      guarded(() =>
        db.transaction(async tx => {
          const [member] = await tx
            .select({ username: users.username })
            .from(users)
            .where(eq(users.id, memberId))
            .for('update')
          // A profile is stored on the member's row, present when it has a username.
          if (member === undefined || member.username === null) return false
          await insertIdentity(tx, memberId, confirmation)
          await tx
            .update(users)
            .set({
              uniqueKey: confirmation.ci,
              uniqueInSite: confirmation.di,
              carrier: sql`coalesce(${users.carrier}, ${carrier})`
            })
            .where(eq(users.id, memberId))
          return true
        })
      ),

    find: memberId =>
      guarded(async () => {
        const [row] = await db.select().from(memberIdentities).where(eq(memberIdentities.userId, memberId))
        return row === undefined ? null : toConfirmation(row)
      }),

    holdersOfCi: (ci, exceptId) =>
      guarded(async () => {
        const rows = await db
          .select({ id: memberIdentities.userId })
          .from(memberIdentities)
          .innerJoin(users, eq(users.id, memberIdentities.userId))
          .where(and(eq(memberIdentities.ci, ci), exceptId === undefined ? undefined : ne(users.id, exceptId)))
          .orderBy(asc(users.createdAt), asc(users.id))
        return rows.map(row => row.id)
      })
  }
}

/**
 * Records the verification id as used and the confirmation as the member's, in the caller's
 * transaction: a used id (unique key of the uses) or a member who holds one already (primary key)
 * fails it with DuplicateValueError('identity_verification_id') once translated.
 */
export async function insertIdentity (
  tx: Pick<Database, 'insert'>,
  userId: string,
  confirmation: IdentityConfirmation
): Promise<void> {
  await tx
    .insert(identityVerificationUses)
    .values({ verificationId: confirmation.verificationId, usedAt: confirmation.confirmedAt })
  await tx.insert(memberIdentities).values({
    userId,
    verificationId: confirmation.verificationId,
    ci: confirmation.ci,
    di: confirmation.di,
    name: confirmation.name,
    birth: confirmation.birth,
    gender: confirmation.gender,
    phone: confirmation.phone,
    mobile: confirmation.mobile,
    carrier: confirmation.carrier,
    foreigner: confirmation.foreigner,
    verifiedAt: confirmation.verifiedAt,
    confirmedAt: confirmation.confirmedAt
  })
}

function toConfirmation (row: typeof memberIdentities.$inferSelect): IdentityConfirmation {
  return {
    verificationId: row.verificationId,
    ci: row.ci,
    di: row.di,
    name: row.name,
    birth: row.birth,
    gender: row.gender,
    phone: row.phone,
    mobile: row.mobile as PhoneNumber | null,
    carrier: row.carrier,
    foreigner: row.foreigner,
    verifiedAt: row.verifiedAt,
    confirmedAt: row.confirmedAt
  }
}
