import { randomUUID } from 'node:crypto'
import t from 'tap'
import { makeRecordAudit } from '../../src/application/audit/record-audit.js'
import { makeStaffIdentity } from '../../src/application/identity/staff-identity.js'
import type { ActingStaff } from '../../src/application/staff/staff-admin.js'
import { ServiceUnavailableError } from '../../src/domain/errors.js'
import type { IdentityConfirmation } from '../../src/domain/identity.js'
import { phoneUser } from '../contracts/user-stores-fixture.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { memoryPorts } from '../helpers/build-test-app.js'

const CATALOG = { interestIds: [CATALOG_STARTER.interests[0]!.id], professionId: null }
const reviewer: ActingStaff = {
  actor: { kind: 'staff', staffId: randomUUID(), email: 'reviewer@staff.test' },
  address: '10.0.0.1'
}
// Two keys alike at both ends: masked, they read the same.
const CLAIMED = 'ABCD-claimed-by-the-app-WXYZ'
const VERIFIED = 'ABCD-verified-by-portone-WXYZ'

async function setUp () {
  const ports = await memoryPorts()
  const member = phoneUser(CATALOG, { uniqueKey: CLAIMED, uniqueInSite: null })
  const now = ports.clock.now()
  const identity: IdentityConfirmation = {
    verificationId: `identity-verification-${randomUUID()}`,
    ci: VERIFIED,
    di: 'DI00-only-portone-gave-one-DI99',
    name: '손흥민',
    birth: '1984-10-23',
    gender: 'male',
    phone: null,
    mobile: null,
    carrier: 'SKT',
    foreigner: false,
    verifiedAt: now,
    confirmedAt: now
  }
  await ports.accounts.create({ ...member, identity })
  const staffIdentity = makeStaffIdentity({
    identities: ports.identities,
    accounts: ports.accounts,
    recordAudit: makeRecordAudit({ audit: ports.audit, clock: ports.clock })
  })
  return { ports, member, staffIdentity }
}

t.test('keys are masked, yet compared in full', async t => {
  const { member, staffIdentity } = await setUp()
  const view = (await staffIdentity.view(member.id))!
  t.equal(view.keys.claimedCi, view.keys.confirmedCi, 'masked, the two keys look alike')
  t.same(view.keysDiffer, { ci: true, di: false }, 'they differ; a key the app never claimed differs from nothing')
  t.notMatch(JSON.stringify(view), /claimed-by|verified-by|only-portone/, 'no key in full')
  t.equal(view.confirmation?.name, '손흥민')
  t.equal(await staffIdentity.view(randomUUID()), null)
})

t.test('a reveal is on the trail before the keys leave; no trail, no keys', async t => {
  const { ports, member, staffIdentity } = await setUp()
  const keys = await staffIdentity.reveal(reviewer, member.id)
  t.same([keys.claimedCi, keys.confirmedCi], [CLAIMED, VERIFIED])
  const trail = await ports.audit.list({ memberId: member.id, limit: 10 })
  t.same(trail.map(entry => [entry.action, entry.address]), [['member.identity_revealed', '10.0.0.1']])

  ports.audit.append = async () => { throw new Error('the trail is down') }
  await t.rejects(staffIdentity.reveal(reviewer, member.id), ServiceUnavailableError)
})
