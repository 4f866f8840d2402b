import { parseCatalogImageKey } from '../../domain/catalog-image.js'
import { DuplicateNameError, FieldErrorCollector, ValidationError } from '../../domain/errors.js'
import { requireText } from '../../domain/text-field.js'
import type { CatalogItem, CatalogKind, CatalogRepository } from '../ports/records/catalog-repository.js'
import type { IdGenerator } from '../ports/system/id-generator.js'

export interface CatalogDeps { catalog: CatalogRepository, ids: IdGenerator }

/**
 * The longest name and emoji an item may have, in characters: the route schemas and the console's forms use these too.
 */
export const CATALOG_NAME_MAX_LENGTH = 50
export const CATALOG_EMOJI_MAX_LENGTH = 16

export interface CatalogInput { name: string, emoji: string, imageKey?: string | null }

export const makeListCatalog = ({ catalog }: Pick<CatalogDeps, 'catalog'>) =>
  async function listCatalog (kind: CatalogKind): Promise<CatalogItem[]> {
    return catalog.list(kind)
  }

/**
 * What an admin may write into a catalog item, from the admin API and the console alike (adding and
 * changing): every refused field at once. Only interests have an image; a profession's is dropped.
 */
export function parseCatalogInput (kind: CatalogKind, input: CatalogInput): Omit<CatalogItem, 'id'> {
  const problems = new FieldErrorCollector()
  const name = problems.attempt(() => requireText(input.name, 'name', CATALOG_NAME_MAX_LENGTH))
  const emoji = problems.attempt(() => requireText(input.emoji, 'emoji', CATALOG_EMOJI_MAX_LENGTH))
  const imageKey = kind === 'interest' ? problems.attempt(() => parseCatalogImageKey(input.imageKey)) : null
  problems.throwIfAny()
  return { name: name!, emoji: emoji!, imageKey: imageKey ?? null }
}

/** Admins grow the catalogs; names are unique per kind. */
export const makeAddCatalogItem = ({ catalog, ids }: CatalogDeps) =>
  async function addCatalogItem (kind: CatalogKind, input: CatalogInput): Promise<CatalogItem> {
    const item: CatalogItem = { id: ids.newId(), ...parseCatalogInput(kind, input) }
    try {
      await catalog.add(kind, item)
    } catch (error) {
      if (error instanceof DuplicateNameError) throw ValidationError.of('name', 'name_taken')
      throw error
    }
    return item
  }

export type AddCatalogItem = ReturnType<typeof makeAddCatalogItem>
