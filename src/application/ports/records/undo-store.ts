/** The sign-in method a change replaced. */
export type UndoKind = 'email' | 'mobile'

/** What an undo code puts back, and for how long it may. */
export interface UndoRecord {
  userId: string
  kind: UndoKind
  /** The address (normalised) or number (E.164) the change replaced. */
  previous: string
  createdAt: Date
  expiresAt: Date
}

/**
 * Undo codes for changes of a sign-in method, sent to the method replaced. Kept by their keyed
 * hash only (CodeHasher): whoever reads the store learns no code that would work.
 */
export interface UndoStore {
  /** Keeps a new code's record under its hash until `expiresAt`. */
  record(codeHash: string, undo: UndoRecord): Promise<void>
  /**
   * Spends a live code (never taken, `expiresAt` after `now`): marks it used and answers its
   * record; null for any other hash. Atomic: of callers racing with one code, exactly one gets it.
   * The same step voids the member's live codes of the same kind recorded at or after it: going
   * back past a change goes back past every later change of that method, so whoever made those
   * cannot undo the undo with codes of their own.
   */
  take(codeHash: string, now: Date): Promise<UndoRecord | null>
  /**
   * Gives a taken code back: the change it was taken for could not be made (the old address or
   * number belongs to another account now), so the member may try again. The later codes its
   * take voided stay void.
   */
  release(codeHash: string): Promise<void>
  /**
   * Forgets every record that expired before `now` (a past address or number is kept no longer than its code); answers
   * how many.
   */
  purge(now: Date): Promise<number>
}
