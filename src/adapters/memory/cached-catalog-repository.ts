import type { CatalogItem, CatalogKind, CatalogRepository } from '../../application/ports/records/catalog-repository.js'
import type { Clock } from '../../application/ports/system/clock.js'

/** How instances learn that one of them changed a catalog (a Redis counter; a local one for one instance). */
export interface CatalogVersion {
  /** The current version: any change of it means a catalog changed. */
  read (): Promise<string>
  /** Marks a change. Throws when it cannot (the shared store is away). */
  bump (): Promise<void>
}

export interface CatalogCacheSettings {
  version: CatalogVersion
  clock: Clock
  /** How often the version is read: another instance's change shows within this. */
  checkEveryMs: number
  /** The longest a copy is used without reloading, should a version bump have been lost. */
  maxAgeMs: number
}

/** What production uses: another instance's change shows within a second, a lost bump within a minute. */
export const CATALOG_CACHE_TIMES = { checkEveryMs: 1_000, maxAgeMs: 60_000 }

interface Copy {
  version: string
  loadedAt: number
  lists: Record<CatalogKind, CatalogItem[]>
  byId: Record<CatalogKind, Map<string, CatalogItem>>
}

// Only canonical uuids can match a stored id, as in the SQL adapter.
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KINDS: CatalogKind[] = ['interest', 'profession']

/**
 * Both catalogs (a few dozen items) copied into the process, so resolving a member's interests and
 * profession, on every member read and code login, reads no database. The database stays the truth:
 * - the copy is checked against the shared version at most every `checkEveryMs` (one read for all
 *   requests meanwhile) and reloaded when it moved, the version read *before* the items, so a change
 *   committed during a reload moves the version past the copy;
 * - a change bumps the version before (if the shared store is away the change fails before it is
 *   made) and after it commits; this instance drops its copy at once, and a reload that began before
 *   the change is not kept, so the instance that made a change never shows the old item;
 * - should the last bump be lost, the copy is at worst `maxAgeMs` old;
 * - while the version cannot be read, the repository answers every read itself.
 */
export function withCatalogCache (
  catalog: CatalogRepository,
  { version, clock, checkEveryMs, maxAgeMs }: CatalogCacheSettings
): CatalogRepository {
  let copy: Copy | null = null
  let checkedAt = -Infinity
  // Counts this instance's changes: a reload that saw an older count is stale when it ends.
  let changes = 0
  let pending: { changes: number, promise: Promise<Copy | null> } | null = null

  /** The version, or null when the shared store cannot say: then the repository answers itself. */
  const readVersion = async (): Promise<string | null> => await version.read().catch(() => null)

  const reload = async (seenChanges: number): Promise<Copy | null> => {
    const current = await readVersion()
    if (current === null) return null
    const [interests, professions] = await Promise.all(KINDS.map(kind => catalog.list(kind)))
    const loaded: Copy = {
      version: current,
      loadedAt: clock.now().getTime(),
      lists: { interest: interests!, profession: professions! },
      byId: {
        interest: new Map(interests!.map(item => [item.id, item])),
        profession: new Map(professions!.map(item => [item.id, item]))
      }
    }
    if (seenChanges === changes) {
      copy = loaded
      checkedAt = loaded.loadedAt
    }
    return loaded
  }

  const check = async (held: Copy): Promise<Copy | null> => {
    const current = await readVersion()
    if (current === null) return null
    if (current !== held.version) return await reload(changes)
    checkedAt = clock.now().getTime()
    return held
  }

  /** The copy to answer from: one read of the version (or one reload) at a time, for every caller. */
  const current = async (): Promise<Copy | null> => {
    const now = clock.now().getTime()
    const held = copy
    if (held !== null && now - checkedAt < checkEveryMs && now - held.loadedAt < maxAgeMs) return held
    if (pending === null || pending.changes !== changes) {
      const seen = changes
      const promise = held !== null && now - held.loadedAt < maxAgeMs ? check(held) : reload(seen)
      const settled = () => {
        if (pending?.promise === promise) pending = null
      }
      pending = { changes: seen, promise }
      promise.then(settled, settled)
    }
    return await pending.promise
  }

  const changing = async <T>(change: () => Promise<T>): Promise<T> => {
    await version.bump()
    try {
      return await change()
    } finally {
      changes++
      copy = null
      // After a refused change too: harmless, and the change may have committed before failing.
      await version.bump()
    }
  }

  return {
    async list (kind) {
      const held = await current()
      return held === null ? await catalog.list(kind) : held.lists[kind].map(item => ({ ...item }))
    },
    async findByIds (kind, ids) {
      const held = await current()
      if (held === null) return await catalog.findByIds(kind, ids)
      const byId = held.byId[kind]
      return ids.flatMap(id => {
        const item = CANONICAL_UUID.test(id) ? byId.get(id.toLowerCase()) : undefined
        return item === undefined ? [] : [{ ...item }]
      })
    },
    add: (kind, item) => changing(() => catalog.add(kind, item)),
    update: (kind, id, changes) => changing(() => catalog.update(kind, id, changes))
  }
}

/** One instance (no shared store): its own changes are all there is to learn of. */
export function localCatalogVersion (): CatalogVersion {
  let version = 0
  return {
    read: async () => String(version),
    bump: async () => { version++ }
  }
}
