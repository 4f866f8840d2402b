import { SecurityStateLostError } from '../../domain/errors.js'
import type { Clock } from '../ports/system/clock.js'
import type { FamilyRecord, RevocationLedger } from '../ports/records/revocation-ledger.js'
import type { RevocationStore } from '../ports/shared-state/revocation-store.js'

export interface DurableRevocationsDeps { store: RevocationStore, ledger: RevocationLedger, clock: Clock }

/** Rows read back per page when a store is rebuilt. */
const RESTORE_PAGE = 5000

/**
 * The revocation store as a cache of durable state. Whatever ends a token is written to the
 * ledger (PostgreSQL) first, then to the store: a revocation the member was told about is never
 * only in Redis. Rotations, one per refresh, stay on the fast path: the store takes them at once
 * and the ledger gets each family's current token behind them, at most `flush`'s period late, so
 * a store rebuilt after a loss still refuses every token rotated out more than that before it.
 *
 * A store that lost its data refuses to answer (SecurityStateLostError) until it is restored: the
 * first request to meet it starts the rebuild and answers 503 like every other until it is done
 * (fail closed), then everything goes on. `ensureWhole` does the same before the service listens.
 */
export function makeDurableRevocations ({ store, ledger, clock }: DurableRevocationsDeps) {
  /** Families rotated since the last flush: the latest rotation of each. */
  let pending = new Map<string, FamilyRecord>()
  let restoring: Promise<void> | null = null

  const flush = async (): Promise<void> => {
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    try {
      await ledger.recordFamilies([...batch.values()])
    } catch (error) {
      // Put back what a newer rotation has not replaced meanwhile; the next flush retries.
      for (const [family, record] of batch) if (!pending.has(family)) pending.set(family, record)
      throw error
    }
  }

  const restore = (): Promise<void> => {
    restoring ??= (async () => {
      // This instance's own unwritten rotations first: the rebuild then misses none of them.
      await flush()
      await store.restore(async (sink) => {
        const now = clock.now()
        await ledger.eachRevocation(now, RESTORE_PAGE, sink.revocations)
        await ledger.eachFamily(now, RESTORE_PAGE, sink.families)
      })
    })().finally(() => { restoring = null })
    return restoring
  }

  /** Runs a store read; a lost store starts the rebuild (once) and the caller answers 503. */
  const whole = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read()
    } catch (error) {
      if (!(error instanceof SecurityStateLostError)) throw error
      restore().catch(() => {}) // a failed rebuild is retried by the next request that meets the loss
      throw error
    }
  }

  const revocations: RevocationStore = {
    async revoke (id, until) {
      const first = await ledger.revoke(id, until)
      // The durable write stands; a store that lost its data gets it back from the ledger.
      await store.revoke(id, until).catch((error: unknown) => {
        if (!(error instanceof SecurityStateLostError)) throw error
      })
      return first
    },
    isRevoked: (...ids) => whole(() => store.isRevoked(...ids)),
    async claimRotation (family, jti, rotation, options) {
      const claim = await whole(() => store.claimRotation(family, jti, rotation, options))
      if (claim.outcome === 'rotated') {
        pending.set(family, { family, currentJti: rotation.refresh.jti, rotatedAt: rotation.at, until: options.until })
      }
      return claim
    },
    restore: async () => { await restore() }
  }

  return {
    revocations,
    /** Writes the rotations since the last flush to the ledger (every second, and at shutdown). */
    flush,
    /** Before the service answers: a store that lost its data (or never had any) is rebuilt. */
    async ensureWhole (): Promise<void> {
      try {
        await store.isRevoked()
      } catch (error) {
        if (!(error instanceof SecurityStateLostError)) throw error
        await restore()
      }
    },
    /** Forgets rows whose tokens have all expired (hourly). */
    purge: () => ledger.purge(clock.now())
  }
}

export type DurableRevocations = ReturnType<typeof makeDurableRevocations>
