import t from 'tap'
import type { Test } from 'tap'
import { registration } from '../helpers/phone-flows.js'
import { fakeCi, fakeDi, startPortOneStandIn } from '../helpers/portone-stand-in.js'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// The service on PostgreSQL and Redis, with the PortOne adapter that runs in production talking
// to a stand-in of PortOne's identity-verification API.

const SECRET = 'portone-e2e-api-secret-0001'
const STORE = 'store-4f8b2c1e-e2e'
const MISMATCH = ['본인인증 정보와 일치하지 않습니다.']
const NOT_FOUND = ['본인인증 내역을 찾을 수 없습니다.']
const NOT_VERIFIED = ['완료되지 않은 본인인증입니다.']

async function start (t: Test, env: Record<string, string> = {}) {
  const portone = await startPortOneStandIn({ secret: SECRET, storeId: STORE })
  t.teardown(() => portone.close())
  const service = await startServiceOnPostgresAndRedis(t, {
    PORTONE_API_SECRET: SECRET,
    PORTONE_STORE_ID: STORE,
    PORTONE_API_URL: portone.url,
    PORTONE_TIMEOUT_MS: '500',
    ...env
  })
  /** A person PortOne verified just now, and the sign-up their app sends. */
  const verified = (customer: Record<string, unknown> = {}) => {
    const id = `identity-verification-${uniqueSuffix()}`
    const body = registration({ identity_verification_id: id, unique_key: null, unique_in_site: null })
    const ci = fakeCi()
    portone.addVerified(id, {
      name: body.name as string,
      birthDate: body.birth as string,
      phoneNumber: body.mobile as string,
      ci,
      di: fakeDi(),
      ...customer
    })
    return { id, body, ci }
  }
  const signUp = (body: Record<string, unknown>) => service.call('POST', '/api/registration/', { body })
  return { ...service, portone, verified, signUp }
}

const needs = { skip: noPg || noRedis }

t.test('PortOne decides who signs up (IDENTITY_VERIFICATION=optional, the default with PortOne on)', needs, async t => {
  const { call, logs, portone, verified, signUp } = await start(t)

  const today = await signUp(registration())
  t.equal(today.status, 201, "the phone app's sign-up without an id works as before")

  const person = verified()
  const confirmed = await signUp(person.body)
  t.equal(confirmed.status, 201, 'a confirmed sign-up')
  const asked = portone.requests.at(-1)!
  t.same([asked.path, asked.storeId, asked.authorization],
    [`/identity-verifications/${person.id}`, STORE, `PortOne ${SECRET}`], 'read from PortOne with our secret and store')

  const replay = await signUp({ ...person.body, username: `again${uniqueSuffix()}` })
  t.same([replay.status, replay.body.identity_verification_id], [400, ['이미 사용된 본인인증입니다.']], 'a replayed id')

  const liar = verified({ name: '김철수' })
  t.same((await signUp(liar.body)).body, { name: MISMATCH }, 'a name PortOne did not verify is refused')

  const pending = `identity-verification-${uniqueSuffix()}`
  portone.addPending(pending)
  const failed = `identity-verification-${uniqueSuffix()}`
  portone.addFailed(failed)
  const elsewhere = verified()
  portone.addVerified(elsewhere.id, {}, { storeId: 'another-store' })
  const refusals = await Promise.all([
    signUp(registration({ identity_verification_id: pending })),
    signUp(registration({ identity_verification_id: failed })),
    signUp(registration({ identity_verification_id: `identity-verification-${uniqueSuffix()}` })),
    signUp(elsewhere.body)
  ])
  t.same(refusals.map(res => res.body.identity_verification_id), [NOT_VERIFIED, NOT_VERIFIED, NOT_FOUND, NOT_FOUND],
    'not completed, failed, unknown, another store')

  const slow = verified()
  portone.failNext('hang')
  const timeout = await signUp(slow.body)
  t.same([timeout.status, timeout.body.code], [503, 'identity_unavailable'], 'PortOne silent past the deadline')
  t.equal((await signUp(slow.body)).status, 201, 'nothing was written: the same sign-up passes once PortOne answers')

  const real = verified()
  const squatter = await signUp(registration({ unique_key: real.ci }))
  t.equal(squatter.status, 201, "someone claims a real person's CI first")
  t.equal((await signUp(real.body)).status, 201, "the claim does not block the real person's confirmed sign-up")

  const late = registration({ unique_key: null, unique_in_site: null })
  const member = await signUp(late)
  const later = `identity-verification-${uniqueSuffix()}`
  portone.addVerified(later, {
    name: late.name as string,
    birthDate: late.birth as string,
    phoneNumber: late.mobile as string
  })
  const attached = await call('POST', '/api/users/me/identity/', {
    token: member.body.access,
    body: { identity_verification_id: later }
  })
  t.equal(attached.status, 200, 'a member confirms later')
  t.equal(attached.body.uuid, member.body.user.uuid)

  t.notOk(logs.text.includes(SECRET), 'the secret is not logged')
  t.notOk(logs.text.includes(person.ci) || logs.text.includes(real.ci), 'no CI is logged')
})

t.test('IDENTITY_VERIFICATION=required refuses a sign-up without an id', needs, async t => {
  const { verified, signUp } = await start(t, { IDENTITY_VERIFICATION: 'required', IDENTITY_DUPLICATES: 'refuse' })
  const refused = await signUp(registration())
  t.same([refused.status, refused.body], [400, { identity_verification_id: ['이 필드는 필수 항목입니다.'] }])
  const first = verified()
  t.equal((await signUp(first.body)).status, 201)
  const again = verified({ ci: first.ci })
  t.same((await signUp(again.body)).body, { identity_verification_id: ['이미 본인인증으로 가입된 회원입니다.'] },
    'IDENTITY_DUPLICATES=refuse: a CI another account confirmed')
})
