import { DuplicateNameError, ValidationError } from '../domain/errors.js'
import { requireText } from '../domain/text-field.js'
import type { CatalogItem, CatalogKind, CatalogRepository } from './ports/catalog-repository.js'
import type { IdGenerator } from './ports/id-generator.js'

export interface CatalogDeps { catalog: CatalogRepository, ids: IdGenerator }

export const makeListCatalog = ({ catalog }: Pick<CatalogDeps, 'catalog'>) =>
  async function listCatalog (kind: CatalogKind): Promise<CatalogItem[]> {
    return catalog.list(kind)
  }

/** Admins grow the catalogs; names are unique per kind. */
export const makeAddCatalogItem = ({ catalog, ids }: CatalogDeps) =>
  async function addCatalogItem (kind: CatalogKind, input: { name: string, emoji: string, imageKey?: string | null }): Promise<CatalogItem> {
    const item: CatalogItem = {
      id: ids.newId(),
      name: requireText(input.name, 'name', 50),
      emoji: requireText(input.emoji, 'emoji', 16),
      imageKey: kind === 'interest' ? input.imageKey ?? null : null
    }
    try {
      await catalog.add(kind, item)
    } catch (error) {
      if (error instanceof DuplicateNameError) throw ValidationError.of('name', 'invalid')
      throw error
    }
    return item
  }

export type AddCatalogItem = ReturnType<typeof makeAddCatalogItem>
