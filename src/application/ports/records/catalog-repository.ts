export type CatalogKind = 'interest' | 'profession'

/** An interest or a profession. `imageKey` is a storage key (interests only; null for professions). */
export interface CatalogItem { id: string, name: string, emoji: string, imageKey: string | null }

/** What a change of an item may touch; an absent field stays as it is. */
export type CatalogChanges = Partial<Pick<CatalogItem, 'name' | 'emoji' | 'imageKey'>>

export interface CatalogRepository {
  /** Every item of the kind, in name order. */
  list (kind: CatalogKind): Promise<CatalogItem[]>
  /** The items of the kind with these ids, in the order of `ids`; unknown ids are left out. */
  findByIds (kind: CatalogKind, ids: string[]): Promise<CatalogItem[]>
  /** Adds an item; throws DuplicateNameError when the kind already has an item of that name. */
  add (kind: CatalogKind, item: CatalogItem): Promise<void>
  /**
   * Changes an item and answers it as it now is, or null when the kind has no item of that id;
   * throws DuplicateNameError when another item of the kind has the new name. A profession keeps
   * no image: its `imageKey` change is ignored.
   */
  update (kind: CatalogKind, id: string, changes: CatalogChanges): Promise<CatalogItem | null>
}
