import { and, asc, eq, lt, or } from 'drizzle-orm'
import type { Passkey } from '../../domain/passkey.js'
import type { Passkeys } from '../../application/ports/records/passkeys.js'
import type { Database } from './database.js'
import { passkeys } from './schema.js'
import { guardWith, isForeignKeyViolation, type GuardOptions } from './translate-database-error.js'

/** Members' passkeys (WebAuthn credentials), on PostgreSQL or PGlite. */
export function createDrizzlePasskeys (db: Database, options: GuardOptions = {}): Passkeys {
  const guarded = guardWith(options)

  return {
    // As for identities: the foreign key answers a missing member, the primary key a credential
    // registered already.
    add: passkey =>
      guarded(async () => {
        try {
          await db.insert(passkeys).values({
            credentialId: passkey.credentialId,
            userId: passkey.memberId,
            publicKey: passkey.publicKey,
            counter: passkey.counter,
            transports: passkey.transports,
            deviceType: passkey.deviceType,
            backedUp: passkey.backedUp,
            name: passkey.name,
            createdAt: passkey.createdAt,
            lastUsedAt: passkey.lastUsedAt
          })
          return true
        } catch (error) {
          if (isForeignKeyViolation(error)) return false
          throw error
        }
      }),

    find: credentialId =>
      guarded(async () => {
        const [row] = await db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId))
        return row === undefined ? null : toPasskey(row)
      }),

    listByMember: memberId =>
      guarded(async () => {
        const rows = await db
          .select()
          .from(passkeys)
          .where(eq(passkeys.userId, memberId))
          .orderBy(asc(passkeys.createdAt), asc(passkeys.credentialId))
        return rows.map(toPasskey)
      }),

    // The check and the write are one statement: of two sign-ins racing with one counter value,
    // one moves it and the other is refused, as a cloned authenticator's would be.
    recordUse: (credentialId, use) =>
      guarded(async () => {
        const updated = await db
          .update(passkeys)
          .set({ counter: use.counter, backedUp: use.backedUp, lastUsedAt: use.at })
          .where(
            and(
              eq(passkeys.credentialId, credentialId),
              or(
                lt(passkeys.counter, use.counter),
                // Authenticators that keep no counter (most synced passkeys) always send 0.
                use.counter === 0 ? eq(passkeys.counter, 0) : undefined
              )
            )
          )
          .returning({ id: passkeys.credentialId })
        return updated.length > 0
      }),

    remove: (memberId, credentialId) =>
      guarded(async () => {
        const removed = await db
          .delete(passkeys)
          .where(and(eq(passkeys.userId, memberId), eq(passkeys.credentialId, credentialId)))
          .returning({ id: passkeys.credentialId })
        return removed.length > 0
      })
  }
}

function toPasskey (row: typeof passkeys.$inferSelect): Passkey {
  return {
    credentialId: row.credentialId,
    memberId: row.userId,
    publicKey: row.publicKey,
    counter: row.counter,
    transports: row.transports,
    deviceType: row.deviceType,
    backedUp: row.backedUp,
    name: row.name,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt
  }
}
