import t from 'tap'
import type { AuditEntry, AuditLog } from '../../src/application/ports/records/audit-log.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { ADMIN_KEY, buildTestApp } from '../helpers/build-test-app.js'
import { bearer } from '../helpers/email-flows.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

type Built = Awaited<ReturnType<typeof buildTestApp>>

// A documentation address (RFC 5737): what the trail must show as the member's.
const CLIENT = '203.0.113.7'

/** The test clock stands still unless told: a second between steps orders the trail as they happened. */
const tick = ({ ports }: Built) => { ports.clock.advance(1000) }

/** Oldest first, as a member's history reads. */
async function historyOf ({ ports }: Built, memberId: string): Promise<AuditEntry[]> {
  return (await ports.audit.list({ memberId, limit: 100 })).reverse()
}

/** What a member event must say: who, what, about whom, from where and through which door. */
const summary = (entry: AuditEntry) => ({
  actor: entry.actor,
  action: entry.action,
  memberId: entry.memberId,
  address: entry.address,
  detail: entry.detail
})

/**
 * The admin API's `admin_api.call` entries are written in its onSend hook, before the reply; this
 * waits for the trail to hold `count` of them all the same, so it does not depend on that order.
 */
async function adminCalls ({ ports }: Built, count: number): Promise<AuditEntry[]> {
  for (let tries = 0; ; tries++) {
    const calls = (await ports.audit.list({ limit: 1000 })).filter(entry => entry.action === 'admin_api.call').reverse()
    if (calls.length >= count || tries === 50) return calls
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

t.test('member security events through the phone door: sign-up, sign-in (only a good code), logout', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const body = registration()
  const signedUp = await app.inject({ method: 'POST', url: '/api/registration/', remoteAddress: CLIENT, payload: body })
  t.equal(signedUp.statusCode, 201)
  const memberId = fromShortUuid(signedUp.json().user.uuid)!
  t.equal(
    (await app.inject({ method: 'POST', url: `/admin/users/${signedUp.json().user.uuid}/approve`, headers: admin }))
      .statusCode,
    200
  )
  tick(built)

  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/auth/mobile/',
        remoteAddress: CLIENT,
        payload: { mobile: body.mobile }
      })
    ).statusCode,
    200
  )
  const code = ports.sms.lastCodeSentTo('+82' + body.mobile.slice(1))!
  const wrong = code === '000000' ? '111111' : '000000'
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/token/',
        remoteAddress: CLIENT,
        payload: { mobile: body.mobile, token: wrong }
      })
    ).statusCode,
    401,
    'a wrong code'
  )
  tick(built)
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/token/',
    remoteAddress: CLIENT,
    payload: { mobile: body.mobile, token: code }
  })
  t.equal(signedIn.statusCode, 200)
  const { access, refresh } = signedIn.json()
  tick(built)
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/logout/', remoteAddress: CLIENT, payload: { refresh } })).statusCode,
    200
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/logout/', remoteAddress: CLIENT, payload: { refresh } })).statusCode,
    401,
    'a second logout is refused'
  )

  const member = { kind: 'member', memberId }
  t.same((await historyOf(built, memberId)).filter((entry) => entry.actor.kind === 'member').map(summary), [
    { actor: member, action: 'member.signed_up', memberId, address: CLIENT, detail: { door: 'phone' } },
    { actor: member, action: 'member.signed_in', memberId, address: CLIENT, detail: { door: 'phone' } },
    { actor: member, action: 'member.signed_out', memberId, address: CLIENT, detail: { door: 'phone' } }
  ], 'one entry each; the wrong code and the refused logout leave none')

  const trail = JSON.stringify(await ports.audit.list({ limit: 1000 }))
  for (const secret of [code, access, refresh, signedUp.json().access, signedUp.json().refresh]) {
    t.notOk(trail.includes(secret), 'no code or token in the trail')
  }
})

t.test(
  'member security events through the email door: sign-up, sign-in, logout, sign-out everywhere, deletion',
  async t => {
    const built = await buildTestApp(t)
    const { app, ports } = built
    const email = `audit-${uniqueSuffix()}@example.com`
    const password = `pw-${uniqueSuffix()}-secret`
    const login = async () => {
      tick(built)
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login/json',
        remoteAddress: CLIENT,
        payload: { email, password }
      })
      t.equal(res.statusCode, 200)
      tick(built)
      return res.json().access_token as string
    }

    t.equal(
      (await app.inject({ method: 'POST', url: '/auth/register', remoteAddress: CLIENT, payload: { email, password } }))
        .statusCode,
      200
    )
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/login/json',
          remoteAddress: CLIENT,
          payload: { email, password: `${password}-wrong` }
        })
      ).statusCode,
      401,
      'a wrong password'
    )
    const first = await login()
    const memberId = fromShortUuid(
      (await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(first) })).json().uuid
    )!
    tick(built)
    t.equal(
      (await app.inject({ method: 'POST', url: '/auth/logout', remoteAddress: CLIENT, headers: bearer(first) }))
        .statusCode,
      200
    )
    const second = await login()
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/auth/logout?scope=all',
          remoteAddress: CLIENT,
          headers: bearer(second)
        })
      ).statusCode,
      200
    )
    const third = await login()
    tick(built)
    t.equal(
      (await app.inject({ method: 'DELETE', url: '/auth/me', remoteAddress: CLIENT, headers: bearer(third) }))
        .statusCode,
      200
    )

    const member = { kind: 'member', memberId }
    const door = { door: 'email' }
    t.same(
      (await historyOf(built, memberId)).map(summary),
      [
        { actor: member, action: 'member.signed_up', memberId, address: CLIENT, detail: door },
        { actor: member, action: 'member.signed_in', memberId, address: CLIENT, detail: door },
        { actor: member, action: 'member.signed_out', memberId, address: CLIENT, detail: door },
        { actor: member, action: 'member.signed_in', memberId, address: CLIENT, detail: door },
        { actor: member, action: 'member.signed_out_everywhere', memberId, address: CLIENT, detail: door },
        { actor: member, action: 'member.signed_in', memberId, address: CLIENT, detail: door },
        { actor: member, action: 'member.deleted', memberId, address: CLIENT, detail: door }
      ],
      'the failed sign-in leaves no entry; the history outlives the member'
    )

    const trail = JSON.stringify(await ports.audit.list({ limit: 1000 }))
    for (const secret of [password, first, second, third]) {
      t.notOk(trail.includes(secret), 'no password or token in the trail')
    }
    t.notOk(trail.includes(email), 'nor the email: the member is named by their id')
  }
)

t.test('every JSON admin API call is one entry: actor api-key, the route pattern, the status, the member', async t => {
  const built = await buildTestApp(t)
  const { app } = built
  const signedUp = await app.inject({ method: 'POST', url: '/api/registration/', payload: registration() })
  const uuid = signedUp.json().user.uuid as string
  const memberId = fromShortUuid(uuid)
  const wrongKey = `${ADMIN_KEY}-not-it`
  const ADMIN_ADDRESS = '198.51.100.4'
  const call = async (method: 'GET' | 'POST', url: string, headers = admin) => {
    tick(built)
    return app.inject({ method, url, headers, remoteAddress: ADMIN_ADDRESS })
  }

  t.equal((await call('GET', '/admin/users?status=pending&page=1')).statusCode, 200)
  t.equal((await call('GET', `/admin/users/${uuid}`)).statusCode, 200)
  t.equal((await call('POST', `/admin/users/${uuid}/approve`, { authorization: `Bearer ${wrongKey}` })).statusCode, 403)
  t.equal((await call('POST', `/admin/users/${uuid}/approve`)).statusCode, 200)
  t.equal((await call('GET', '/admin/users/not-a-short-uuid')).statusCode, 404)

  const calls = await adminCalls(built, 5)
  const entry = (method: string, route: string, status: number, member: string | null) => ({
    actor: { kind: 'api-key' },
    action: 'admin_api.call',
    memberId: member,
    address: ADMIN_ADDRESS,
    detail: { method, route, status }
  })
  t.same(
    calls.map(summary),
    [
      entry('GET', '/admin/users', 200, null),
      entry('GET', '/admin/users/:uuid', 200, memberId),
      entry('POST', '/admin/users/:uuid/approve', 403, memberId),
      entry('POST', '/admin/users/:uuid/approve', 200, memberId),
      entry('GET', '/admin/users/:uuid', 404, null)
    ],
    'the refused call too; a uuid that does not parse names no member'
  )

  const trail = JSON.stringify(await built.ports.audit.list({ limit: 1000 }))
  t.notOk(trail.includes(ADMIN_KEY), 'never the key')
  t.notOk(trail.includes('status=pending'), 'never the URL: only the route pattern')
})

t.test('an admin API call the trail cannot record still answers, with a warning in the log', async (t) => {
  const failing: AuditLog = {
    ...createMemoryAuditLog(randomIds),
    append: async () => {
      throw new Error('audit store down')
    }
  }
  const built = await buildTestApp(t, { audit: failing })
  const res = await built.app.inject({ method: 'GET', url: '/admin/users', headers: admin })
  t.equal(res.statusCode, 200)
  for (let tries = 0; tries < 50 && !built.logs.text.includes('audit.write_failed'); tries++) {
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  const warning = built.logs.lines.map((line) => JSON.parse(line)).find((line) => line.event === 'audit.write_failed')
  t.match(warning, { level: 40, action: 'admin_api.call' })
})
