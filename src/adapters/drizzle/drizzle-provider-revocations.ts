import { asc, eq, lte, sql } from 'drizzle-orm'
import type { SignInProvider } from '../../domain/sign-in-provider.js'
import type { ProviderRevocations } from '../../application/ports/records/provider-revocations.js'
import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import type { Database } from './database.js'
import { providerRevocations } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

/** The provider tokens waiting for revocation, on PostgreSQL or PGlite (the provider_revocations table). */
export function createDrizzleProviderRevocations (db: Database, options: GuardOptions = {}): ProviderRevocations {
  const guarded = guardWith(options)

  return {
    due: (now, limit) =>
      guarded(async () => {
        const rows = await db
          .select({
            id: providerRevocations.id,
            provider: providerRevocations.provider,
            token: providerRevocations.token,
            clientId: providerRevocations.clientId
          })
          .from(providerRevocations)
          .where(lte(providerRevocations.notBefore, now))
          .orderBy(asc(providerRevocations.notBefore), asc(providerRevocations.queuedAt), asc(providerRevocations.id))
          .limit(limit)
        return rows
      }),

    complete: id =>
      guarded(async () => {
        await db.delete(providerRevocations).where(eq(providerRevocations.id, id))
      }),

    postpone: (id, notBefore) =>
      guarded(async () => {
        await db
          .update(providerRevocations)
          .set({ notBefore, attempts: sql`${providerRevocations.attempts} + 1` })
          .where(eq(providerRevocations.id, id))
      })
  }
}

/** A kept refresh token of an identity, as `linked_identities` holds it. */
export interface KeptToken { provider: SignInProvider, token: string | null, clientId: string | null }

/**
 * Queues the tokens for revocation, due now, in the caller's transaction: the identity's removal
 * and its token's queueing commit together, so no token is forgotten when the provider is down.
 */
export async function queueProviderRevocations (
  tx: Pick<Database, 'insert'>,
  ids: IdGenerator,
  kept: KeptToken[]
): Promise<void> {
  const rows = kept.flatMap(({ provider, token, clientId }) =>
    token === null || clientId === null ? [] : [{ id: ids.newId(), provider, token, clientId }]
  )
  if (rows.length > 0) await tx.insert(providerRevocations).values(rows)
}
