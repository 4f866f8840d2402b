import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { AuditEntry, AuditFilter, AuditLog, NewAuditEntry } from '../../src/application/ports/records/audit-log.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const T0 = Date.parse('2026-03-01T09:00:00.000Z')
const at = (seconds: number): Date => new Date(T0 + seconds * 1000)

export function auditEntry (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    at: at(0),
    actor: { kind: 'system' },
    action: 'member.approved',
    memberId: null,
    targetStaffId: null,
    address: null,
    reason: null,
    detail: {},
    ...overrides
  }
}

/** The fields an entry was appended with, to compare with what is listed. */
const withoutId = ({ id, ...entry }: AuditEntry): NewAuditEntry => entry
/** The list order the port promises: newest first, then id descending. */
const newestFirst = (a: AuditEntry, b: AuditEntry): number => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1)

/** One contract for every AuditLog adapter: memory, PGlite, PostgreSQL. Each test has a log of its own. */
export function auditLogContract (t: Test, make: (t: Test) => Promise<AuditLog>): void {
  t.test('the port is append-only: append, list and the retention purge, nothing that edits', async (t) => {
    const log = await make(t)
    t.same(Object.keys(log).sort(), ['append', 'list', 'purgeOlderThan'])
  })

  t.test('each kind of actor and every field come back as appended, under a stable uuid', async (t) => {
    const log = await make(t)
    const staffId = randomUUID()
    const memberId = randomUUID()
    const appended: NewAuditEntry[] = [
      auditEntry({
        at: at(1),
        actor: { kind: 'staff', staffId, email: 'reviewer@example.com' },
        action: 'member.rejected',
        memberId,
        address: '203.0.113.7',
        reason: '신분증 사진이 흐립니다',
        detail: { door: 'console', files: 2, resent: false, note: null }
      }),
      auditEntry({
        at: at(2),
        actor: { kind: 'api-key' },
        action: 'admin_api.call',
        memberId,
        detail: { route: 'PATCH /api/admin/members/:id' }
      }),
      auditEntry({
        at: at(3),
        actor: { kind: 'member', memberId },
        action: 'member.signed_in',
        memberId,
        address: '2001:db8::1',
        detail: { door: 'phone' }
      }),
      auditEntry({
        at: at(4),
        actor: { kind: 'staff', staffId, email: 'reviewer@example.com' },
        action: 'staff.disabled',
        targetStaffId: randomUUID()
      }),
      auditEntry({ at: at(5) })
    ]
    for (const entry of appended) await log.append(entry)
    const listed = await log.list({ limit: 10 })
    t.same(listed.map(withoutId), [...appended].reverse())
    for (const entry of listed) t.match(entry.id, UUID)
    t.equal(new Set(listed.map((entry) => entry.id)).size, 5, 'an id each')
    t.same(
      (await log.list({ limit: 10 })).map(entry => entry.id),
      listed.map(entry => entry.id),
      'the same ids on every read'
    )
  })

  t.test('newest first; entries of the same instant by id, descending', async (t) => {
    const log = await make(t)
    for (const seconds of [5, 1, 3, 3, 3, 9, 1, 3]) await log.append(auditEntry({ at: at(seconds) }))
    const listed = await log.list({ limit: 100 })
    t.same(listed.map((entry) => entry.at.getTime()), [9, 5, 3, 3, 3, 3, 1, 1].map((seconds) => at(seconds).getTime()))
    t.same(listed.map((entry) => entry.id), [...listed].sort(newestFirst).map((entry) => entry.id))
    t.same(
      (await log.list({ limit: 3 })).map(entry => entry.id),
      listed.slice(0, 3).map(entry => entry.id),
      'limit'
    )
    t.same(await log.list({ limit: 0 }), [])
  })

  t.test('filtered by member, and by staff as actor or target', async (t) => {
    const log = await make(t)
    const [member, other] = [randomUUID(), randomUUID()]
    const [staff, colleague] = [randomUUID(), randomUUID()]
    const actor = (staffId: string) => ({
      kind: 'staff' as const,
      staffId,
      email: `${staffId.slice(0, 8)}@example.com`
    })
    await log.append(auditEntry({ at: at(1), actor: actor(staff), action: 'member.file_viewed', memberId: member }))
    await log.append(auditEntry({ at: at(2), actor: actor(colleague), action: 'member.approved', memberId: other }))
    await log.append(
      auditEntry({
        at: at(3),
        actor: { kind: 'member', memberId: member },
        action: 'member.signed_out_everywhere',
        memberId: member
      })
    )
    await log.append(
      auditEntry({ at: at(4), actor: actor(colleague), action: 'staff.second_factor_reset', targetStaffId: staff })
    )
    await log.append(
      auditEntry({ at: at(5), actor: { kind: 'system' }, action: 'member.files_purged', memberId: other })
    )

    const actions = async (filter: { memberId?: string, staffId?: string }) =>
      (await log.list({ ...filter, limit: 10 })).map(entry => entry.action)
    t.same(await actions({ memberId: member }), ['member.signed_out_everywhere', 'member.file_viewed'])
    t.same(
      await actions({ memberId: member.toUpperCase() }),
      ['member.signed_out_everywhere', 'member.file_viewed'],
      'uuids match in any case'
    )
    t.same(await actions({ staffId: staff }), ['staff.second_factor_reset', 'member.file_viewed'])
    t.same(await actions({ staffId: colleague }), ['staff.second_factor_reset', 'member.approved'])
    t.same(await actions({ memberId: other, staffId: colleague }), ['member.approved'], 'both filters at once')
    t.same(await actions({ memberId: randomUUID() }), [])
    t.same(await actions({ memberId: 'not-a-uuid' }), [], 'a malformed id matches nothing, it does not fail')
    t.same(await actions({ staffId: 'not-a-uuid' }), [])
  })

  t.test('filtered by actions and by a time range (from inclusive, to exclusive), with other filters', async (t) => {
    const log = await make(t)
    const member = randomUUID()
    const staff = randomUUID()
    const actor = { kind: 'staff' as const, staffId: staff, email: 'range@example.com' }
    const seconds = [10, 20, 30, 40]
    for (const s of seconds) {
      await log.append(auditEntry({ at: at(s), actor, action: 'member.file_viewed', memberId: member, detail: { s } }))
      await log.append(auditEntry({ at: at(s), action: 'member.approved', detail: { s } }))
    }
    const listed = async (filter: Omit<AuditFilter, 'limit'>) =>
      (await log.list({ ...filter, limit: 100 })).map(entry => `${entry.action}@${String(entry.detail.s)}`)
    t.same(
      await listed({ actions: ['member.file_viewed'] }),
      [40, 30, 20, 10].map(s => `member.file_viewed@${s}`)
    )
    t.same((await listed({ actions: ['member.file_viewed', 'member.approved'] })).length, 8, 'several actions')
    t.same(await listed({ actions: [] }), [], 'no action matches nothing')
    t.same(
      await listed({ from: at(20), to: at(40), actions: ['member.approved'] }),
      ['member.approved@30', 'member.approved@20'],
      'from is inclusive, to exclusive'
    )
    t.same(
      await listed({ from: at(30), memberId: member, staffId: staff }),
      ['member.file_viewed@40', 'member.file_viewed@30'],
      'with the member and staff filters'
    )
    t.same(await listed({ from: at(41) }), [])
    t.same(await listed({ to: at(10) }), [])
  })

  t.test('keyset paging walks the whole trail once, ties included, with and without a filter', async (t) => {
    const log = await make(t)
    const member = randomUUID()
    // Several entries per instant, so pages end in the middle of a tie.
    for (let i = 0; i < 23; i++) {
      await log.append(auditEntry({ at: at(Math.floor(i / 4)), memberId: i % 2 === 0 ? member : null }))
    }
    const all = await log.list({ limit: 100 })
    for (const filter of [{}, { memberId: member }]) {
      const pages: AuditEntry[][] = []
      let page = await log.list({ ...filter, limit: 5 })
      while (page.length > 0) {
        pages.push(page)
        const last = page[page.length - 1]!
        page = await log.list({ ...filter, before: { at: last.at, id: last.id }, limit: 5 })
      }
      const walked = pages.flat().map((entry) => entry.id)
      const expected = all.filter(entry => !('memberId' in filter) || entry.memberId === member).map(entry => entry.id)
      t.same(walked, expected, `pages of 5 ${'memberId' in filter ? 'of one member' : 'of everything'}`)
      t.ok(pages.slice(0, -1).every((full) => full.length === 5))
    }
    const middle = all[10]!
    t.same(
      (await log.list({ before: { at: middle.at, id: middle.id }, limit: 100 })).map(entry => entry.id),
      all.slice(11).map(entry => entry.id),
      'strictly after the cursor'
    )
    t.same(await log.list({ before: { at: middle.at, id: 'not-a-uuid' }, limit: 5 }), [])
  })

  t.test('the retention purge removes exactly the entries before the instant, and says how many', async (t) => {
    const log = await make(t)
    const seconds = [0, 10, 19, 20, 20, 21, 40]
    for (const s of seconds) await log.append(auditEntry({ at: at(s), memberId: randomUUID() }))
    t.equal(await log.purgeOlderThan(at(20)), 3)
    t.same(
      (await log.list({ limit: 100 })).map(entry => entry.at.getTime()),
      [40, 21, 20, 20].map(s => at(s).getTime()),
      'an entry at the instant itself stays'
    )
    t.equal(await log.purgeOlderThan(at(20)), 0, 'a second sweep finds nothing')
    t.equal(await log.purgeOlderThan(at(0)), 0)
    t.equal(await log.purgeOlderThan(at(100)), 4)
    t.same(await log.list({ limit: 100 }), [])
  })

  t.test('callers cannot change stored entries through the objects they pass or get', async (t) => {
    const log = await make(t)
    const entry = auditEntry({ detail: { door: 'console' } })
    await log.append(entry)
    entry.detail.door = 'changed'
    entry.at.setTime(0)
    const [listed] = await log.list({ limit: 1 })
    t.equal(listed?.detail.door, 'console')
    t.equal(listed?.at.getTime(), at(0).getTime())
    listed!.detail.door = 'changed again'
    t.equal((await log.list({ limit: 1 }))[0]?.detail.door, 'console')
  })
}
