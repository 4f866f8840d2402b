import t from 'tap'
import type { AuditLog } from '../../src/application/ports/records/audit-log.js'
import { makeUseCases } from '../../src/application/make-use-cases.js'
import { memberTexts } from '../../src/application/members/member-texts.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { makeRecordDecision } from '../../src/application/review/record-decision.js'
import { phoneUser } from '../contracts/user-stores-fixture.js'
import { TEST_SETTINGS, memoryPorts } from '../helpers/build-test-app.js'

const DAY_MS = 86_400_000
const NO_CATALOG = { interestIds: [], professionId: null }

async function setUp (verificationFilesDays: number | null, audit?: AuditLog) {
  const ports = await memoryPorts()
  if (audit !== undefined) ports.audit = audit
  const useCases = makeUseCases(
    ports,
    { ...TEST_SETTINGS, retention: { auditDays: 730, verificationFilesDays } },
    memberTexts
  )
  const member = phoneUser(NO_CATALOG)
  await ports.accounts.create(member)
  await makeRecordDecision(ports)(member.id, 'approved', null)
  return { ports, useCases, member }
}

t.test(
  'the use-case the hourly sweeper calls purges due files and puts each purge on the trail as the system',
  async t => {
    const { ports, useCases, member } = await setUp(30)
    ports.clock.advance(30 * DAY_MS)
    t.same(
      await useCases.sweepVerificationFiles(),
      { members: 0, files: 0, purged: [], unrecorded: [] },
      'exactly at the limit: kept'
    )
    ports.clock.advance(1)
    t.same(await useCases.sweepVerificationFiles(), {
      members: 1,
      files: 2,
      purged: [{ memberId: member.id, files: 2 }],
      unrecorded: []
    })
    const entries = await ports.audit.list({ memberId: member.id, limit: 10 })
    t.same(
      entries.map(({ actor, action, memberId, address, detail }) => ({ actor, action, memberId, address, detail })),
      [
        {
          actor: { kind: 'system' },
          action: 'member.files_purged',
          memberId: member.id,
          address: null,
          detail: { files: 2, cause: 'retention' }
        }
      ]
    )
    t.same((await useCases.sweepVerificationFiles()).purged, [], 'sweeping again is harmless')
  }
)

t.test('unset retention keeps the files', async (t) => {
  const { ports, useCases, member } = await setUp(null)
  ports.clock.advance(10_000 * DAY_MS)
  t.same(await useCases.sweepVerificationFiles(), { members: 0, files: 0, purged: [], unrecorded: [] })
  t.equal((await ports.accounts.findProfileById(member.id))?.profile?.verificationFiles.length, 2)
})

t.test(
  'a trail that cannot be written does not stop the sweep: the purge it missed is answered for the log',
  async t => {
    const failing: AuditLog = {
      ...createMemoryAuditLog(randomIds),
      append: async () => {
        throw new Error('audit store down')
      }
    }
    const { ports, useCases, member } = await setUp(1, failing)
    ports.clock.advance(DAY_MS + 1)
    const report = await useCases.sweepVerificationFiles()
    t.equal(report.members, 1)
    t.same(report.unrecorded, [member.id])
  }
)
