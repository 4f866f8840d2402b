import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { MemberNoteRepository } from '../../src/application/ports/records/member-notes.js'

export interface MemberNotesFixture {
  notes: MemberNoteRepository
  /** A member the store can hang a note on. */
  member: () => Promise<string>
}

/** What the member page's note relies on, for every adapter. */
export function memberNotesContract (t: Test, make: (t: Test) => Promise<MemberNotesFixture>): void {
  const staffId = randomUUID()

  t.test('a note is written, read back, and replaced by the next', async (t) => {
    const { notes, member } = await make(t)
    const id = await member()
    t.equal(await notes.find(id), null, 'none at first')
    const first = { memberId: id, text: 'Called them\nabout the photo', staffId, staffEmail: 'a@staff.test' }
    t.equal(await notes.write({ ...first, writtenAt: new Date(Date.UTC(2026, 0, 1)) }), true)
    t.same(await notes.find(id), { ...first, writtenAt: new Date(Date.UTC(2026, 0, 1)) })
    const other = randomUUID()
    const second = { memberId: id, text: 'ID checked', staffId: other, staffEmail: 'b@staff.test' }
    t.equal(await notes.write({ ...second, writtenAt: new Date(Date.UTC(2026, 0, 2)) }), true)
    const latest = { ...second, writtenAt: new Date(Date.UTC(2026, 0, 2)) }
    t.same(await notes.find(id), latest, 'the latest, with its writer')
    const another = await member()
    t.equal(await notes.find(another), null, "another member's is apart")
  })

  t.test('no note on a member who is not there', async (t) => {
    const { notes } = await make(t)
    const nobody = randomUUID()
    t.equal(
      await notes.write({ memberId: nobody, text: 'x', staffId, staffEmail: 'a@staff.test', writtenAt: new Date() }),
      false
    )
    t.equal(await notes.find(nobody), null)
  })
}
