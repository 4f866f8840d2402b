import { NotFoundError, ValidationError } from '../../domain/errors.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import { hasControlCharacters } from '../../domain/text-field.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { MemberNote, MemberNoteRepository } from '../ports/records/member-notes.js'
import type { Clock } from '../ports/system/clock.js'
import type { ActingStaff } from '../staff/staff-admin.js'

export interface MemberNotesDeps { notes: MemberNoteRepository, recordAudit: RecordAudit, clock: Clock }

export const NOTE_MAX_LENGTH = 2000

/**
 * Staff's internal note on a member: one note, the latest written, with who wrote it and when. No
 * member route reads it (it lives in the console alone). Each write is on the trail with its text
 * (the trail keeps the history the note does not), recorded before the note is stored.
 */
export const makeMemberNotes = ({ notes, recordAudit, clock }: MemberNotesDeps) => {
  const idOf = (ref: string): string => {
    const id = /^[0-9a-f-]{36}$/i.test(ref) ? ref.toLowerCase() : fromShortUuid(ref)
    if (id === null) throw new NotFoundError()
    return id
  }
  return {
    read: (memberId: string): Promise<MemberNote | null> => notes.find(memberId),

    async write (by: ActingStaff, ref: string, input: string): Promise<void> {
      const text = input.trim()
      if ([...text].length > NOTE_MAX_LENGTH) throw ValidationError.of('note', 'too_long')
      if (hasControlCharacters(text, { multiline: true })) throw ValidationError.of('note', 'invalid')
      const memberId = idOf(ref)
      await recordAudit(by.actor, 'member.note_written', { memberId, address: by.address, reason: text })
      const written = await notes.write({
        memberId,
        text,
        staffId: by.actor.staffId,
        staffEmail: by.actor.email,
        writtenAt: clock.now()
      })
      if (!written) throw new NotFoundError()
    }
  }
}

export type MemberNotes = ReturnType<typeof makeMemberNotes>
