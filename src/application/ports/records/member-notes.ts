/** Staff's internal note on a member: never shown to the member. */
export interface MemberNote {
  memberId: string
  text: string
  staffId: string
  /** As it was when they wrote it, so the note reads on its own. */
  staffEmail: string
  writtenAt: Date
}

/** One note per member, the latest written (each write is on the audit trail, which keeps the history). */
export interface MemberNoteRepository {
  find (memberId: string): Promise<MemberNote | null>
  /** Replaces the member's note; false, writing nothing, when there is no such member. */
  write (note: MemberNote): Promise<boolean>
}
