import { eq } from 'drizzle-orm'
import type { MemberNoteRepository } from '../../application/ports/records/member-notes.js'
import type { Database } from './database.js'
import { memberNotes, users } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

/** Members' internal notes on PostgreSQL or PGlite, one row per member. */
export function createDrizzleMemberNotes (db: Database, options: GuardOptions = {}): MemberNoteRepository {
  const guarded = guardWith(options)
  const table = memberNotes
  return {
    find: (memberId) => guarded(async () =>
      (await db.select().from(table).where(eq(table.memberId, memberId)))[0] ?? null),
    // The member's row is locked while the note is written, so a deletion cannot slip between the
    // check and the write (the foreign key would refuse the write instead of answering false).
    write: (note) => guarded(() => db.transaction(async (tx) => {
      const [member] = await tx.select({ id: users.id }).from(users).where(eq(users.id, note.memberId)).for('share')
      if (member === undefined) return false
      await tx.insert(table).values(note).onConflictDoUpdate({
        target: table.memberId,
        set: { text: note.text, staffId: note.staffId, staffEmail: note.staffEmail, writtenAt: note.writtenAt }
      })
      return true
    }))
  }
}
