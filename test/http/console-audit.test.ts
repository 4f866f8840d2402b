import t from 'tap'
import { AUDIT_ACTIONS, type AuditLog, type NewAuditEntry } from '../../src/application/ports/records/audit-log.js'
import { AUDIT_EXPORT_LIMIT } from '../../src/application/audit/read-audit-trail.js'
import { csvCell } from '../../src/adapters/http/console/audit-csv.js'
import { ACTION_TEXTS } from '../../src/adapters/http/console/pages/files-audit-texts.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, signInStaff, type TestStaff } from '../helpers/console-flows.js'
import { injectUploader, registration, withUploads } from '../helpers/phone-flows.js'

// The readable trail: actions in words, members by username, staff by email, filters in the URL
// (validated), and the CSV export: BOM, formula-safe, limited, admins only, recorded before it leaves.

type Built = Awaited<ReturnType<typeof buildTestApp>>

async function member ({ app, ports }: Built) {
  const body = await withUploads(injectUploader(app), registration())
  const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  const uuid = res.json().user.uuid as string
  const id = fromShortUuid(uuid)!
  return { uuid, id, username: (await ports.accounts.findProfileById(id))!.profile!.username }
}

async function browser (built: Built, role: 'admin' | 'reviewer' = 'admin') {
  const staff = await addStaff(built.ports, role)
  const { cookie } = await signInStaff(built.app, built.ports, staff)
  const get = (url: string, language = 'en') =>
    built.app.inject({ method: 'GET', url, headers: { cookie: cookie!, 'accept-language': language } })
  return { staff, get }
}

const entry = (overrides: Partial<NewAuditEntry>): NewAuditEntry => ({
  at: new Date('2026-03-02T03:00:00Z'),
  actor: { kind: 'system' },
  action: 'member.approved',
  memberId: null,
  targetStaffId: null,
  address: null,
  reason: null,
  detail: {},
  ...overrides
})

const staffActor = (staff: TestStaff) => ({ kind: 'staff' as const, staffId: staff.id, email: staff.email })
/** The actions of the rows on a trail page, top to bottom. */
const rowActions = (html: string) => [...html.matchAll(/data-action="([^"]+)"/g)].map(match => match[1])

t.test('every action the trail records has its words in Korean and English', async (t) => {
  for (const action of AUDIT_ACTIONS) {
    for (const language of ['ko', 'en'] as const) {
      const text = ACTION_TEXTS[language][action]
      t.ok(typeof text === 'string' && text.trim() !== '' && text !== action, `${language} ${action}: ${text}`)
    }
  }
  t.equal(new Set(Object.values(ACTION_TEXTS.ko)).size, AUDIT_ACTIONS.length, 'no two actions read alike (ko)')
  t.equal(new Set(Object.values(ACTION_TEXTS.en)).size, AUDIT_ACTIONS.length, 'no two actions read alike (en)')
})

t.test('the trail in words: actions named, members by username with a link, staff by email', async (t) => {
  const built = await buildTestApp(t)
  const someone = await member(built)
  const admin = await browser(built)
  const target = await addStaff(built.ports, 'reviewer')
  await built.ports.audit.append(
    entry({ actor: staffActor(admin.staff), action: 'member.rejected', memberId: someone.id, reason: '사진이 흐림' })
  )
  await built.ports.audit.append(
    entry({ actor: staffActor(admin.staff), action: 'staff.disabled', targetStaffId: target.id })
  )
  for (const [language, rejected, disabled] of [
    ['en', 'Member rejected', 'Staff member disabled'],
    ['ko', '회원 거절', '직원 비활성화']
  ] as const) {
    const page = await admin.get('/console/audit', language)
    t.equal(page.statusCode, 200)
    t.match(page.body, `data-action="member.rejected">${rejected}<`)
    t.match(page.body, `data-action="staff.disabled">${disabled}<`)
    t.match(page.body, `<a href="/console/members/${someone.uuid}">${someone.username}</a>`, 'the member by username')
    t.match(page.body, `: ${target.email}</div>`, 'the staff member acted upon by email')
    t.match(page.body, `<td>${admin.staff.email}</td>`, 'the actor by email')
    t.match(page.body, '<td class="details">', 'the details column wraps (console.css)')
  }
})

t.test('filters by days (KST), action, staff and member (username or uuid), in the URL', async (t) => {
  const built = await buildTestApp(t)
  const [one, two] = [await member(built), await member(built)]
  const admin = await browser(built)
  const colleague = await addStaff(built.ports, 'reviewer')
  const log = built.ports.audit
  // 2026-03-02 in Korea runs from 2026-03-01T15:00Z to 2026-03-02T15:00Z.
  await log.append(entry({ at: new Date('2026-03-01T14:59:00Z'), action: 'catalog.added', detail: { n: 1 } }))
  await log.append(entry({ at: new Date('2026-03-01T15:00:00Z'), action: 'catalog.changed', detail: { n: 2 } }))
  await log.append(entry({ at: new Date('2026-03-02T14:59:00Z'), action: 'catalog.changed', detail: { n: 3 } }))
  await log.append(entry({ at: new Date('2026-03-02T15:00:00Z'), action: 'catalog.added', detail: { n: 4 } }))
  await log.append(entry({ actor: staffActor(colleague), action: 'member.approved', memberId: one.id }))
  await log.append(entry({ actor: staffActor(admin.staff), action: 'member.rejected', memberId: two.id }))

  const actions = async (query: string) => {
    const page = await admin.get(`/console/audit?${query}`)
    t.equal(page.statusCode, 200, query)
    return rowActions(page.body)
  }
  t.same(await actions('from=2026-03-02&to=2026-03-02&action=catalog.changed'), ['catalog.changed', 'catalog.changed'])
  t.same(
    (await actions('from=2026-03-02&to=2026-03-02')).sort(),
    ['catalog.changed', 'catalog.changed', 'member.approved', 'member.rejected'],
    'both days included, in Korean time'
  )
  t.same(await actions('to=2026-03-01'), ['catalog.added'])
  t.same(await actions('from=2026-03-03&to=2026-03-03'), ['catalog.added'])
  t.same(await actions(`staff=${colleague.id}&from=2026-03-02&to=2026-03-02`), ['member.approved'])
  t.same(await actions(`member=${encodeURIComponent(one.username)}&action=member.approved`), ['member.approved'])
  t.same(await actions(`member=${two.uuid}&from=2026-03-02&to=2026-03-02`), ['member.rejected'], 'by short uuid')
  t.same(await actions(`member=${two.id.toUpperCase()}&action=member.rejected`), ['member.rejected'], 'by uuid')
  t.same(await actions('member=nobody-by-this-name'), [], 'a member filter naming no one shows nothing')

  const filtered = await admin.get(`/console/audit?action=member.approved&member=${one.uuid}&from=2026-03-02`)
  t.match(filtered.body, '<option value="member.approved" selected>', 'the form keeps the filters')
  t.match(filtered.body, `href="/console/audit.csv?from=2026-03-02&amp;action=member.approved&amp;member=${one.uuid}"`)

  for (const bad of ['action=member.hacked', 'from=2026-3-2', 'staff=me', `member=${'x'.repeat(65)}`]) {
    const res = await admin.get(`/console/audit?${bad}`)
    t.equal(res.statusCode, 400, bad)
    t.match(res.headers['content-type'], 'text/html')
  }
  for (const bad of ['from=2026-02-31', 'to=2026-13-01']) {
    const res = await admin.get(`/console/audit?${bad}`)
    t.equal(res.statusCode, 400, bad)
    t.match(res.body, 'Dates are YYYY-MM-DD', 'the page says what was wrong')
  }
})

t.test('paging keeps the filters', async (t) => {
  const built = await buildTestApp(t)
  const admin = await browser(built)
  for (let i = 0; i < 55; i++) {
    await built.ports.audit.append(entry({ at: new Date(Date.UTC(2026, 2, 2, 3, 0, i)), action: 'catalog.added' }))
  }
  const first = await admin.get('/console/audit?action=catalog.added')
  t.equal(rowActions(first.body).length, 50)
  const older = /href="(\/console\/audit\?[^"]+)" rel="next"/.exec(first.body)![1]!.replaceAll('&amp;', '&')
  t.match(older, 'action=catalog.added')
  const second = await admin.get(older)
  t.same(rowActions(second.body), Array(5).fill('catalog.added'))
})

t.test('CSV export: BOM, formula-safe cells, the filters, admins only, recorded before it leaves', async (t) => {
  const built = await buildTestApp(t)
  const someone = await member(built)
  const admin = await browser(built)
  const reasons = [
    '=HYPERLINK("http://evil.example","x")', '+821055501234', '-1', '@SUM(A1)', '\tx', '\rx', '쉼표, "따옴표"\n줄'
  ]
  for (const reason of reasons) {
    await built.ports.audit.append(
      entry({ actor: staffActor(admin.staff), action: 'member.rejected', memberId: someone.id, reason })
    )
  }
  await built.ports.audit.append(entry({ action: 'catalog.added' }))

  const csv = await admin.get(`/console/audit.csv?action=member.rejected&member=${someone.uuid}`, 'ko')
  t.equal(csv.statusCode, 200)
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(csv.headers['content-disposition'], /^attachment; filename="audit-start-now\.csv"$/)
  t.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'a UTF-8 byte order mark first')
  const text = csv.rawPayload.toString('utf8').slice(1)
  t.ok(text.startsWith('"일시","UTC","동작","action"'), 'Korean headers')
  t.equal(text.split('\r\n').filter(line => line.includes('"member.rejected"')).length, reasons.length)
  t.notMatch(text, /(^|,)"[=+\-@\t\r]/m, 'no cell starts as a formula')
  t.notMatch(text, 'catalog.added', 'the filter applies')
  t.match(text, `"${someone.username}","${someone.uuid}"`, 'the member by username and uuid')
  t.match(text, '"회원 거절","member.rejected"')
  for (const reason of reasons.slice(0, 6)) {
    t.match(text, csvCell(`사유: ${reason}`), 'inside a longer cell the reason needs no prefix')
  }
  t.equal(csvCell('=1+1'), '"\'=1+1"')
  for (const start of ['=', '+', '-', '@', '\t', '\r']) {
    t.equal(csvCell(`${start}x`), `"'${start}x"`, `a cell starting with ${JSON.stringify(start)} is text`)
  }
  t.equal(csvCell('쉼표, "따옴표"\n줄'), '"쉼표, ""따옴표""\n줄"')

  const exports = await built.ports.audit.list({ actions: ['audit.exported'], limit: 10 })
  t.equal(exports.length, 1, 'the export is on the trail')
  t.match(exports[0], {
    actor: { kind: 'staff', staffId: admin.staff.id },
    detail: { action: 'member.rejected', member: someone.uuid, rows: reasons.length, limit: AUDIT_EXPORT_LIMIT }
  })

  const english = await admin.get('/console/audit.csv?from=2026-03-02&to=2026-03-02')
  t.match(english.rawPayload.toString('utf8'), '"When","UTC","Action","action"')
  t.match(english.headers['content-disposition'], 'audit-2026-03-02-2026-03-02.csv')
  t.equal((await admin.get('/console/audit.csv?action=nope')).statusCode, 400)

  const reviewer = await browser(built, 'reviewer')
  const refused = await reviewer.get('/console/audit.csv')
  t.equal(refused.statusCode, 403, 'reviewers do not export the trail')
  t.notMatch(refused.headers['content-type'], 'text/csv')
  const recorded = await built.ports.audit.list({ actions: ['audit.exported'], limit: 10 })
  t.equal(recorded.length, 2, 'the two exports; refusals record nothing')
})

t.test('an export the trail cannot record is not made (503, no file)', async (t) => {
  const audit = createMemoryAuditLog(randomIds)
  let down = false
  const trail: AuditLog = {
    ...audit,
    append: async item => {
      if (down) throw new Error('audit store down')
      await audit.append(item)
    }
  }
  const built = await buildTestApp(t, { audit: trail })
  const admin = await browser(built)
  down = true
  const res = await admin.get('/console/audit.csv')
  t.equal(res.statusCode, 503)
  t.notMatch(res.headers['content-type'], 'text/csv')
  t.notMatch(res.headers['content-disposition'] ?? '', 'attachment')
})
