import { and, eq, ne, sql } from 'drizzle-orm'
import { DuplicateValueError } from '../../domain/errors.js'
import type { PhoneNumber } from '../../domain/user.js'
import type { EmailChangeRepository } from '../../application/ports/records/email-change-repository.js'
import type { Database } from './database.js'
import { users } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

/** Members' address changes on PostgreSQL or PGlite: the pending address lives on the member's row. */
export function createDrizzleEmailChangeRepository (db: Database, options: GuardOptions = {}): EmailChangeRepository {
  const guarded = guardWith(options)

  return {
    async stageEmail (id, email, passwordHash) {
      // The unique index decides at confirmation; this early look spares the member a code for an
      // address they cannot have.
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
      )
  }
}
