import { randomUUID } from 'node:crypto'
import t from 'tap'
import { makeUseCases } from '../../src/application/make-use-cases.js'
import { maskPhone } from '../../src/application/members/member-support.js'
import { memberTexts } from '../../src/application/members/member-texts.js'
import type { ActingStaff } from '../../src/application/staff/staff-admin.js'
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../../src/domain/errors.js'
import { toShortUuid } from '../../src/domain/short-uuid.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { phoneUser } from '../contracts/user-stores-fixture.js'
import { TEST_SETTINGS, memoryPorts } from '../helpers/build-test-app.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'

const CATALOG = { interestIds: [CATALOG_STARTER.interests[0]!.id], professionId: null }
const admin: ActingStaff = {
  actor: { kind: 'staff', staffId: randomUUID(), email: 'admin@staff.test' },
  address: '10.0.0.1'
}

async function setUp () {
  const ports = await memoryPorts()
  const useCases = makeUseCases(ports, TEST_SETTINGS, memberTexts)
  const member = phoneUser(CATALOG, {})
  await ports.accounts.create({ ...member, status: 'approved' })
  const device = { userAgent: 'app/1.0', ip: '10.0.0.9' }
  await useCases.memberSessions.begin(member.id, device, 'phone')
  await useCases.memberSessions.begin(member.id, device, 'phone')
  return { ports, support: useCases.memberSupport, member, ref: toShortUuid(member.id) }
}

/** A fresh, valid Korean mobile number as people type it, and its E.164 form. */
function newNumber (): { typed: string, e164: PhoneNumber } {
  const digits = String(2000_0000 + Math.floor(Math.random() * 2999_9999))
  return { typed: `010-${digits.slice(0, 4)}-${digits.slice(4)}`, e164: `+8210${digits}` as PhoneNumber }
}

t.test('sessions: the member\'s live sign-ins, as their own list has them', async t => {
  const { support, ref } = await setUp()
  const sessions = await support.sessions(ref)
  t.equal(sessions.length, 2)
  t.same(sessions.map(s => s.device), ['app/1.0', 'app/1.0'])
  await t.rejects(support.sessions('nosuchmember'), NotFoundError)
  const overview = await support.overview(ref)
  const e164 = overview.mobile!
  t.equal(overview.mobileDisplay, `0${e164.slice(3, 5)}-${e164.slice(5, 9)}-${e164.slice(9)}`, 'as written at home')
  t.equal(overview.sessions.length, 2)
})

t.test('a number change: recorded first, masked, then the number, every session ended and the old number told',
  async t => {
    const { ports, support, member, ref } = await setUp()
    const next = newNumber()
    const result = await support.changeMobile(admin, ref, { mobile: next.typed, reason: '  신분증 확인, 번호 분실  ' })
    t.same(result, { memberId: member.id, oldNumberTold: true })
    t.equal((await ports.accounts.findById(member.id))!.mobile, next.e164)

    const [entry] = await ports.audit.list({ memberId: member.id, limit: 10 })
    t.equal(entry!.action, 'member.mobile_changed')
    t.same(entry!.actor, admin.actor)
    t.equal(entry!.address, '10.0.0.1')
    t.equal(entry!.reason, '신분증 확인, 번호 분실', 'the reason as written, trimmed')
    t.same(entry!.detail, { door: 'console', from: maskPhone(member.mobile), to: maskPhone(next.e164) })
    t.notMatch(JSON.stringify(entry), member.mobile!.slice(3, 9), 'the old number never whole')
    t.notMatch(JSON.stringify(entry), next.e164.slice(3, 9), 'the new number never whole')

    t.same(await support.sessions(ref), [], 'every session forgotten')
    t.ok((await ports.accounts.findById(member.id))!.tokensValidAfter !== null, 'every token issued so far ended')

    const notices = ports.sms.sent.filter(sms => sms.to === member.mobile)
    t.equal(notices.length, 1, 'the old number is told once')
    t.match(notices[0]!.body, next.e164.slice(-4))
    t.notMatch(notices[0]!.body, /\d{6}/, 'no code in the notice')
    t.equal(ports.sms.sent.filter(sms => sms.to === next.e164).length, 0, 'nothing to the new number')
  })

t.test('a number change refused: nothing recorded, nothing changed', async t => {
  const { ports, support, member, ref } = await setUp()
  const other = phoneUser(CATALOG, {})
  await ports.accounts.create(other)
  const cases: Array<[string, { mobile: string, reason: string }, string, string]> = [
    ['reason required', { mobile: newNumber().typed, reason: '   ' }, 'reason', 'required'],
    ['not a number', { mobile: '010-12', reason: 'ID checked' }, 'mobile', 'invalid_phone'],
    ['a landline', { mobile: '02-312-3456', reason: 'ID checked' }, 'mobile', 'not_mobile'],
    ['abroad', { mobile: '+1 202 555 0147', reason: 'ID checked' }, 'mobile', 'region_not_allowed'],
    ['another member\'s', { mobile: other.mobile!, reason: 'ID checked' }, 'mobile', 'mobile_taken'],
    ['the same number', { mobile: member.mobile!, reason: 'ID checked' }, 'mobile', 'invalid']
  ]
  for (const [name, input, field, issue] of cases) {
    const error = await support.changeMobile(admin, ref, input).catch(e => e)
    t.ok(error instanceof ValidationError, name)
    t.same(error.fields, { [field]: [issue] }, name)
  }
  t.same(await ports.audit.list({ memberId: member.id, limit: 10 }), [])
  t.equal((await ports.accounts.findById(member.id))!.mobile, member.mobile)
  t.equal((await support.sessions(ref)).length, 2)
  t.same(ports.sms.sent, [])
})

t.test('the trail down: 503 and the member untouched', async t => {
  const { ports, support, member, ref } = await setUp()
  ports.audit.append = async () => { throw new Error('trail down') }
  await t.rejects(support.changeMobile(admin, ref, { mobile: newNumber().typed, reason: 'ID checked' }),
    ServiceUnavailableError)
  await t.rejects(support.signOutEverywhere(admin, ref), ServiceUnavailableError)
  t.equal((await ports.accounts.findById(member.id))!.mobile, member.mobile)
  t.equal((await support.sessions(ref)).length, 2)
  t.same(ports.sms.sent, [])
})

t.test('the SMS provider down: the change stands, the page is told', async t => {
  const { ports, support, member, ref } = await setUp()
  ports.sms.send = async () => { throw new Error('provider down') }
  const next = newNumber()
  const result = await support.changeMobile(admin, ref, { mobile: next.typed, reason: 'ID checked' })
  t.same(result, { memberId: member.id, oldNumberTold: false })
  t.equal((await ports.accounts.findById(member.id))!.mobile, next.e164)
})

t.test('sign out everywhere: recorded under the admin, every session ended', async t => {
  const { ports, support, member, ref } = await setUp()
  await support.signOutEverywhere(admin, ref)
  const [entry] = await ports.audit.list({ memberId: member.id, limit: 10 })
  t.equal(entry!.action, 'member.signed_out_everywhere')
  t.same(entry!.actor, admin.actor)
  t.same(entry!.detail, { door: 'console' })
  t.same(await support.sessions(ref), [])
  t.ok((await ports.accounts.findById(member.id))!.tokensValidAfter !== null)
})

t.test('maskPhone: the country and the last four digits', async t => {
  t.equal(maskPhone('+821023456789' as PhoneNumber), '+82******6789')
  t.equal(maskPhone(null), null)
})
