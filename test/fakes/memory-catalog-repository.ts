import { DuplicateNameError } from '../../src/domain/errors.js'
import type {
  CatalogItem,
  CatalogKind,
  CatalogRepository
} from '../../src/application/ports/records/catalog-repository.js'

// The uuid column accepts only uuids and stores them in lower case; the twin does the same.
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The in-process twin of the SQL catalog: one name per kind, code-point name order (the SQL
 * adapter sorts with collation "C"), no image for professions, copies in and out.
 * `initial` is typically CATALOG_STARTER, to answer like a freshly migrated database.
 */
export function createMemoryCatalogRepository (
  initial: { interests?: CatalogItem[], professions?: CatalogItem[] } = {}
): CatalogRepository {
  const items: Record<CatalogKind, Map<string, CatalogItem>> = { interest: new Map(), profession: new Map() }

  function put (kind: CatalogKind, item: CatalogItem): void {
    const ofKind = items[kind]
    if (!CANONICAL_UUID.test(item.id)) throw new Error('catalog id is not a uuid')
    const id = item.id.toLowerCase()
    for (const other of ofKind.values()) if (other.name === item.name) throw new DuplicateNameError(item.name)
    if (ofKind.has(id)) throw new Error('duplicate catalog id')
    ofKind.set(id, { id, name: item.name, emoji: item.emoji, imageKey: kind === 'interest' ? item.imageKey : null })
  }

  for (const item of initial.interests ?? []) put('interest', item)
  for (const item of initial.professions ?? []) put('profession', item)

  return {
    async list (kind) {
      return [...items[kind].values()].sort((a, b) => byCodePoint(a.name, b.name)).map(item => ({ ...item }))
    },

    async findByIds (kind, ids) {
      return ids.flatMap(id => {
        const item = items[kind].get(id.toLowerCase())
        return item === undefined ? [] : [{ ...item }]
      })
    },

    async add (kind, item) {
      put(kind, item)
    },

    async update (kind, id, changes) {
      const item = items[kind].get(id.toLowerCase())
      if (item === undefined) return null
      const { name, emoji, imageKey } = changes
      if (name !== undefined) {
        for (const other of items[kind].values()) {
          if (other !== item && other.name === name) throw new DuplicateNameError(name)
        }
        item.name = name
      }
      if (emoji !== undefined) item.emoji = emoji
      if (imageKey !== undefined && kind === 'interest') item.imageKey = imageKey
      return { ...item }
    }
  }
}

/** UTF-8 byte order, which is code-point order: what PostgreSQL's "C" collation compares. */
function byCodePoint (a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}
