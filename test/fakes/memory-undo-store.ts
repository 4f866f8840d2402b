import type { UndoRecord, UndoStore } from '../../src/application/ports/records/undo-store.js'

interface Row { undo: UndoRecord, usedAt: Date | null }

/**
 * The in-process twin of the `sign_in_method_undos` table. No method awaits before it writes, so
 * each runs whole before another starts: that is what makes `take` atomic here, as the
 * conditional UPDATE in one transaction is in SQL. Records go in and come out as copies.
 */
export function createMemoryUndoStore (): UndoStore {
  const rows = new Map<string, Row>()
  const copy = (undo: UndoRecord): UndoRecord => ({
    ...undo,
    createdAt: new Date(undo.createdAt),
    expiresAt: new Date(undo.expiresAt)
  })

  return {
    async record (codeHash, undo) {
      if (rows.has(codeHash)) throw new Error('undo code hash already recorded')
      rows.set(codeHash, { undo: copy(undo), usedAt: null })
    },

    async take (codeHash, now) {
      const row = rows.get(codeHash)
      if (row === undefined || row.usedAt !== null || row.undo.expiresAt.getTime() <= now.getTime()) return null
      row.usedAt = new Date(now)
      const { userId, kind, createdAt } = row.undo
      for (const other of rows.values()) {
        if (
          other.usedAt === null &&
          other.undo.userId === userId &&
          other.undo.kind === kind &&
          other.undo.createdAt.getTime() >= createdAt.getTime()
        ) { other.usedAt = new Date(now) }
      }
      return copy(row.undo)
    },

    async release (codeHash) {
      const row = rows.get(codeHash)
      if (row !== undefined) row.usedAt = null
    },

    async purge (now) {
      let count = 0
      for (const [codeHash, row] of rows) {
        if (row.undo.expiresAt.getTime() < now.getTime() && rows.delete(codeHash)) count++
      }
      return count
    }
  }
}
