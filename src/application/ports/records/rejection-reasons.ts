/** A preset reason for a rejection, in both languages a member may read it in. */
export interface RejectionReason {
  id: string
  ko: string
  en: string
  createdAt: Date
  /** When staff retired it (no longer offered); null while in use. */
  retiredAt: Date | null
}

/** The catalog of preset rejection reasons staff manage in the console (PostgreSQL or PGlite). */
export interface RejectionReasonCatalog {
  /** Every reason, retired ones too, oldest first (ties by id). */
  list (): Promise<RejectionReason[]>
  find (id: string): Promise<RejectionReason | null>
  add (reason: Omit<RejectionReason, 'retiredAt'>): Promise<void>
  /** New texts for a reason; false, changing nothing, when there is no such reason. */
  change (id: string, texts: { ko: string, en: string }): Promise<boolean>
  /** Retires a reason at `at`, or puts it back in use with null; false when there is no such reason. */
  retire (id: string, at: Date | null): Promise<boolean>
}
