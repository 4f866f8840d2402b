export type CatalogKind = 'interest' | 'profession'

/** An interest or a profession. `imageKey` is a storage key (interests only; null for professions). */
export interface CatalogItem { id: string, name: string, emoji: string, imageKey: string | null }

export interface CatalogRepository {
  /** Every item of the kind, in name order. */
  list (kind: CatalogKind): Promise<CatalogItem[]>
  /** The items of the kind with these ids, in the order of `ids`; unknown ids are left out. */
  findByIds (kind: CatalogKind, ids: string[]): Promise<CatalogItem[]>
  /** Adds an item; throws DuplicateNameError when the kind already has an item of that name. */
  add (kind: CatalogKind, item: CatalogItem): Promise<void>
}
