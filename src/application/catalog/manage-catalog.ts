import { DuplicateNameError, NotFoundError, ValidationError } from '../../domain/errors.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import { parseCatalogInput, type AddCatalogItem, type CatalogInput } from './catalog.js'
import type { CatalogItem, CatalogKind, CatalogRepository } from '../ports/records/catalog-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { ActingStaff } from '../staff/staff-admin.js'

export interface ManageCatalogDeps {
  catalog: CatalogRepository
  addCatalogItem: AddCatalogItem
  recordAudit: RecordAudit
}

/** Admins grow and correct the catalogs from the console; each change is on the audit trail. */
export const makeManageCatalog = ({ catalog, addCatalogItem, recordAudit }: ManageCatalogDeps) => ({
  list: (kind: CatalogKind) => catalog.list(kind),

  async add (by: ActingStaff, kind: CatalogKind, input: CatalogInput): Promise<CatalogItem> {
    const item = await addCatalogItem(kind, input)
    await recordAudit(by.actor, 'catalog.added', {
      address: by.address,
      detail: { kind, id: item.id, name: item.name }
    })
    return item
  },

  /** Renames, changes the emoji and (interests) the image; the same rules as adding (parseCatalogInput). */
  async change (by: ActingStaff, kind: CatalogKind, uuid: string, input: CatalogInput): Promise<CatalogItem> {
    const id = fromShortUuid(uuid)
    if (id === null) throw new NotFoundError()
    const changes = parseCatalogInput(kind, input)
    let item: CatalogItem | null
    try {
      item = await catalog.update(kind, id, changes)
    } catch (error) {
      if (error instanceof DuplicateNameError) throw ValidationError.of('name', 'name_taken')
      throw error
    }
    if (item === null) throw new NotFoundError()
    await recordAudit(by.actor, 'catalog.changed', {
      address: by.address,
      detail: { kind, id, name: item.name, emoji: item.emoji, image: item.imageKey }
    })
    return item
  }
})

export type ManageCatalog = ReturnType<typeof makeManageCatalog>
