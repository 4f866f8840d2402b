import t from 'tap'
import type { Test } from 'tap'
import type { CoreSettings } from '../../src/application/make-use-cases.js'
import type { VerifiedIdentity } from '../../src/domain/identity.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { TEST_PHONE, TEST_SETTINGS, buildTestApp } from '../helpers/build-test-app.js'
import { registration } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'
import { createMemoryIdentityVerifier } from '../fakes/memory-identity-verifier.js'

// The phone door's sign-up and POST /api/users/me/identity/ with a verifier that stands in for
// PortOne: the provider's record, not the app's word, decides who a member is.

const NATIONAL = '0' + TEST_PHONE.slice(3) // 01012345678, as PortOne writes it

/** A completed verification of one person (a fresh CI each time unless given). */
function person (overrides: Partial<VerifiedIdentity> = {}): VerifiedIdentity {
  const suffix = uniqueSuffix()
  return {
    verificationId: `identity-verification-${suffix}`,
    ci: `ci-${suffix}-${'x'.repeat(60)}`,
    di: `di-${suffix}-${'y'.repeat(40)}`,
    name: '손흥민',
    birth: '1984-10-23',
    gender: 'male',
    phone: NATIONAL,
    carrier: 'SKT',
    foreigner: false,
    verifiedAt: new Date(),
    ...overrides
  }
}

/** The sign-up body the app sends for that person. */
const signUpOf = (who: VerifiedIdentity, overrides: Record<string, unknown> = {}) => registration({
  mobile: NATIONAL,
  identity_verification_id: who.verificationId,
  unique_key: who.ci,
  unique_in_site: who.di,
  ...overrides
})

async function appWith (t: Test, identity: Partial<CoreSettings['identity']> = {}) {
  const verifier = createMemoryIdentityVerifier()
  const built = await buildTestApp(t, { identityVerifier: verifier }, {
    identity: { ...TEST_SETTINGS.identity, mode: 'optional', ...identity }
  })
  // The verifier's clock is the app's: a verification made "now" is fresh.
  const fresh = (overrides: Partial<VerifiedIdentity> = {}) => {
    const who = person({ verifiedAt: built.ports.clock.now(), ...overrides })
    verifier.add(who)
    return who
  }
  const signUp = (body: Record<string, unknown>) =>
    built.app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  return { ...built, verifier, fresh, signUp }
}

t.test('a confirmed sign-up: the record is stored, the trail says so, the answer is as before', async t => {
  const { ports, fresh, signUp } = await appWith(t)
  const plain = await signUp(registration())
  t.equal(plain.statusCode, 201, 'without an id: accepted as today')
  const who = fresh()
  const res = await signUp(signUpOf(who, { carrier: null }))
  t.equal(res.statusCode, 201)
  t.same(Object.keys(res.json().user).sort(), Object.keys(plain.json().user).sort(), 'the same fields as without an id')
  const memberId = (await ports.accounts.findByMobile(TEST_PHONE))!.id
  const held = await ports.identities.find(memberId)
  t.match(held, { verificationId: who.verificationId, ci: who.ci, di: who.di, name: '손흥민', mobile: TEST_PHONE })
  const profile = (await ports.accounts.findProfileById(memberId))!.profile!
  t.equal(profile.carrier, 'SKT', 'a carrier the app left out comes from the record')
  t.equal(profile.uniqueKey, who.ci)
  const plainId = fromShortUuid(plain.json().user.uuid as string)!
  t.equal(await ports.identities.find(plainId), null, 'the sign-up without an id is not confirmed')
  const trail = await ports.audit.list({ memberId, limit: 10 })
  t.ok(trail.some(entry => entry.action === 'member.identity_confirmed'), 'member.identity_confirmed on the trail')
  t.notMatch(JSON.stringify(trail), who.ci!, 'no CI on the trail')
})

t.test('claims that contradict the record are refused by field, and nothing is written', async t => {
  const { ports, fresh, signUp } = await appWith(t)
  const who = fresh()
  const res = await signUp(signUpOf(who, { name: '김철수', birth: '1985-10-23', mobile: '01023456789' }))
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    name: ['본인인증 정보와 일치하지 않습니다.'],
    birth: ['본인인증 정보와 일치하지 않습니다.'],
    mobile: ['본인인증 정보와 일치하지 않습니다.']
  })
  t.equal(await ports.accounts.findByMobile(TEST_PHONE), null)
  const english = await signUp({ ...signUpOf(who, { gender: 'female' }) })
  t.same(english.json(), { gender: ['본인인증 정보와 일치하지 않습니다.'] })
})

t.test('ids the provider does not confirm', async t => {
  const { ports, verifier, fresh, signUp } = await appWith(t)
  const field = async (body: Record<string, unknown>) => (await signUp(body)).json().identity_verification_id
  t.same(await field(signUpOf(person())), ['본인인증 내역을 찾을 수 없습니다.'], 'an unknown id')
  verifier.addPending('identity-verification-pending')
  t.same(await field(registration({ mobile: NATIONAL, identity_verification_id: 'identity-verification-pending' })),
    ['완료되지 않은 본인인증입니다.'], 'a verification not completed')
  verifier.addOtherStore('identity-verification-elsewhere')
  t.same(await field(registration({ mobile: NATIONAL, identity_verification_id: 'identity-verification-elsewhere' })),
    ['본인인증 내역을 찾을 수 없습니다.'], "another store's verification is unknown here")
  const old = fresh({ verifiedAt: new Date(ports.clock.now().getTime() - 2 * 3600_000) })
  t.same(await field(signUpOf(old)), ['본인인증 유효 시간이 지났습니다. 다시 인증해주세요.'], 'a stale verification')
  t.equal(await ports.accounts.findByMobile(TEST_PHONE), null)
})

t.test('PortOne down: 503 identity_unavailable, no account', async t => {
  const { ports, verifier, fresh, signUp } = await appWith(t)
  const who = fresh()
  verifier.failWith('unavailable')
  const res = await signUp(signUpOf(who))
  t.equal(res.statusCode, 503)
  t.same(res.json().code, 'identity_unavailable')
  t.equal(await ports.accounts.findByMobile(TEST_PHONE), null)
})

t.test('one verification makes one account, even after that account is deleted', async t => {
  const { ports, fresh, signUp } = await appWith(t)
  const who = fresh()
  t.equal((await signUp(signUpOf(who))).statusCode, 201)
  const again = await signUp(signUpOf(who, { username: `other${uniqueSuffix()}` }))
  t.equal(again.statusCode, 400)
  t.same(again.json().identity_verification_id, ['이미 사용된 본인인증입니다.'])
  await ports.accounts.delete((await ports.accounts.findByMobile(TEST_PHONE))!.id)
  const afterDeletion = await signUp(signUpOf(who, { username: `third${uniqueSuffix()}` }))
  t.same(afterDeletion.json().identity_verification_id, ['이미 사용된 본인인증입니다.'])
  t.equal(await ports.accounts.findByMobile(TEST_PHONE), null)
})

t.test("a claimed CI never blocks the real person's confirmed sign-up", async t => {
  const { ports, fresh, signUp } = await appWith(t, { duplicates: 'refuse' })
  const who = fresh()
  // Someone else claims the person's CI first, without a verification.
  const squatter = await signUp(registration({ unique_key: who.ci }))
  t.equal(squatter.statusCode, 201)
  const real = await signUp(signUpOf(who))
  t.equal(real.statusCode, 201)
  const realId = (await ports.accounts.findByMobile(TEST_PHONE))!.id
  const sharing = await ports.review.findSharingUniqueKey(realId)
  t.same(sharing.map(holder => [holder.username, holder.confirmed]), [[squatter.json().user.username, false]],
    'the review shows the squatter, as claimed only')
})

t.test('a CI another account confirmed: flagged by default, refused when configured', async t => {
  for (const duplicates of ['flag', 'refuse'] as const) {
    const { ports, fresh, signUp } = await appWith(t, { duplicates })
    const first = fresh()
    t.equal((await signUp(signUpOf(first))).statusCode, 201)
    // The same person verifies again on a second phone.
    const second = fresh({ ci: first.ci, phone: '01023456789' })
    const res = await signUp(signUpOf(second, { mobile: '01023456789', username: `second${uniqueSuffix()}` }))
    if (duplicates === 'refuse') {
      t.equal(res.statusCode, 400)
      t.same(res.json().identity_verification_id, ['이미 본인인증으로 가입된 회원입니다.'])
    } else {
      t.equal(res.statusCode, 201)
      const secondId = (await ports.accounts.findByMobile('+821023456789' as typeof TEST_PHONE))!.id
      t.same((await ports.review.findSharingUniqueKey(secondId)).map(holder => holder.confirmed), [true],
        'flagged for review: the other account holds the key confirmed')
    }
  }
})

t.test('required: a sign-up without an id is refused; off: the id is not even read', async t => {
  const required = await appWith(t, { mode: 'required' })
  const res = await required.signUp(registration())
  t.equal(res.statusCode, 400)
  t.same(res.json(), { identity_verification_id: ['이 필드는 필수 항목입니다.'] })
  const off = await appWith(t, { mode: 'off' })
  const who = off.fresh()
  const ignored = await off.signUp(signUpOf(who, { name: '김철수' }))
  t.equal(ignored.statusCode, 201, 'off: the claims are stored as sent')
  t.equal(off.verifier.lookUps, 0)
  t.equal(await off.ports.identities.find((await off.ports.accounts.findByMobile(TEST_PHONE))!.id), null)
})

t.test('a member confirms later: POST /api/users/me/identity/', async t => {
  const { app, ports, fresh, signUp, verifier } = await appWith(t)
  const before = await signUp(registration({ mobile: NATIONAL, carrier: null, unique_key: null, unique_in_site: null }))
  t.equal(before.statusCode, 201)
  const { access } = before.json()
  const confirm = (id: string, token: string | null = access) => app.inject({
    method: 'POST',
    url: '/api/users/me/identity/',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    payload: { identity_verification_id: id }
  })
  t.equal((await confirm('anything', null)).statusCode, 401)
  const stranger = fresh({ name: '김철수' })
  const mismatch = await confirm(stranger.verificationId)
  t.same([mismatch.statusCode, mismatch.json()], [400, { name: ['본인인증 정보와 일치하지 않습니다.'] }])
  const who = fresh()
  const res = await confirm(who.verificationId)
  t.equal(res.statusCode, 200)
  t.equal(res.json().uuid, before.json().user.uuid)
  const memberId = (await ports.accounts.findByMobile(TEST_PHONE))!.id
  t.match(await ports.identities.find(memberId), { verificationId: who.verificationId, ci: who.ci })
  const profile = (await ports.accounts.findProfileById(memberId))!.profile!
  t.same([profile.uniqueKey, profile.uniqueInSite, profile.carrier], [who.ci, who.di, 'SKT'])
  const lookUps = verifier.lookUps
  t.equal((await confirm(who.verificationId)).statusCode, 200, 'the same id again answers as the first time')
  t.equal(verifier.lookUps, lookUps, 'without asking PortOne again')
  const other = fresh({ ci: who.ci })
  t.same((await confirm(other.verificationId)).json(), { identity_verification_id: ['이미 본인인증을 마친 회원입니다.'] })
  const trail = await ports.audit.list({ memberId, limit: 20 })
  t.equal(trail.filter(entry => entry.action === 'member.identity_confirmed').length, 1)
})

t.test('a later confirmation with an id another member used is refused', async t => {
  const { app, fresh, signUp } = await appWith(t)
  const who = fresh()
  t.equal((await signUp(signUpOf(who))).statusCode, 201)
  const late = await signUp(registration({ mobile: '01023456789', unique_key: null, unique_in_site: null }))
  const res = await app.inject({
    method: 'POST',
    url: '/api/users/me/identity/',
    headers: { authorization: `Bearer ${late.json().access as string}` },
    payload: { identity_verification_id: who.verificationId }
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { identity_verification_id: ['이미 사용된 본인인증입니다.'] })
})

t.test('with IDENTITY_VERIFICATION off the confirmation route answers 404', async t => {
  const { app, signUp } = await appWith(t, { mode: 'off' })
  const member = await signUp(registration())
  const res = await app.inject({
    method: 'POST',
    url: '/api/users/me/identity/',
    headers: { authorization: `Bearer ${member.json().access as string}` },
    payload: { identity_verification_id: 'identity-verification-1' }
  })
  t.same([res.statusCode, res.json().code], [404, 'not_found'])
})

t.test('CI and DI never reach a log line', async t => {
  const { logs, fresh, signUp } = await appWith(t)
  const who = fresh({ name: '김철수' })
  await signUp(signUpOf(who))
  const ok = fresh()
  await signUp(signUpOf(ok))
  t.notMatch(logs.text, who.ci!)
  t.notMatch(logs.text, ok.di!)
})
