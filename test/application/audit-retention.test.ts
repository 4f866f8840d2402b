import t from 'tap'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { DEFAULT_AUDIT_RETENTION_DAYS, makeSweepAudit } from '../../src/application/audit/audit-retention.js'
import { makeUseCases } from '../../src/application/make-use-cases.js'
import { memberTexts } from '../../src/application/members/member-texts.js'
import { auditEntry } from '../contracts/audit-log.contract.js'
import { TEST_SETTINGS, memoryPorts } from '../helpers/build-test-app.js'
import { ManualClock } from '../helpers/manual-clock.js'

const DAY_MS = 86_400_000

t.test('the sweep removes what is older than the retention period, and only that', async (t) => {
  const clock = new ManualClock()
  const audit = createMemoryAuditLog(randomIds)
  const sweep = makeSweepAudit({ audit, clock, retentionDays: 30 })
  await audit.append(auditEntry({ at: clock.now(), reason: 'day 0' }))
  clock.advance(10 * DAY_MS)
  await audit.append(auditEntry({ at: clock.now(), reason: 'day 10' }))

  clock.advance(20 * DAY_MS) // day 30: the first entry is exactly 30 days old
  t.equal(await sweep(), 0, 'an entry exactly at the limit stays')
  clock.advance(1)
  t.equal(await sweep(), 1)
  t.same((await audit.list({ limit: 10 })).map((entry) => entry.reason), ['day 10'])

  clock.advance(10 * DAY_MS)
  t.equal(await sweep(), 1)
  t.equal(await sweep(), 0, 'sweeping again is harmless')
  t.same(await audit.list({ limit: 10 }), [])
})

t.test('two years by default; a period under one day is refused at wiring time', async (t) => {
  t.equal(DEFAULT_AUDIT_RETENTION_DAYS, 730)
  const deps = { audit: createMemoryAuditLog(randomIds), clock: new ManualClock() }
  for (const retentionDays of [0, -1, 0.5, Number.NaN]) {
    t.throws(() => makeSweepAudit({ ...deps, retentionDays }), RangeError, String(retentionDays))
  }
})

t.test('the use-case the hourly sweeper calls keeps AUDIT_RETENTION_DAYS', async (t) => {
  const ports = await memoryPorts()
  const useCases = makeUseCases(
    ports,
    { ...TEST_SETTINGS, retention: { auditDays: 2, verificationFilesDays: null } },
    memberTexts
  )
  await ports.audit.append(auditEntry({ at: ports.clock.now(), reason: 'old' }))
  ports.clock.advance(DAY_MS)
  await ports.audit.append(auditEntry({ at: ports.clock.now(), reason: 'new' }))
  ports.clock.advance(DAY_MS + 1)
  t.equal(await useCases.sweepAudit(), 1)
  t.same((await ports.audit.list({ limit: 10 })).map((entry) => entry.reason), ['new'])
})
