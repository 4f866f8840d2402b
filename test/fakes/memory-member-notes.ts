import type { MemberNote, MemberNoteRepository } from '../../src/application/ports/records/member-notes.js'

/** Members' notes in memory; `exists` says whether a member is there (the account store's answer). */
export function createMemoryMemberNotes (exists: (memberId: string) => Promise<boolean>): MemberNoteRepository {
  const notes = new Map<string, MemberNote>()
  return {
    async find (memberId) {
      const note = notes.get(memberId)
      return note === undefined ? null : { ...note }
    },
    async write (note) {
      if (!(await exists(note.memberId))) return false
      notes.set(note.memberId, { ...note })
      return true
    }
  }
}
