import t from 'tap'
import { createMemoryRevocationStore } from '../../src/adapters/memory/memory-revocation-store.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { approvedMember } from '../helpers/phone-flows.js'
import { ManualClock } from '../helpers/manual-clock.js'

// The embedded default's story (memory store over the database's ledger): a process that starts
// again starts with an empty store, which must not forget a sign-out.
t.test(
  'a store that lost its data answers 503 until rebuilt, then refuses what was ended and lets the rest go on',
  async t => {
    const clock = new ManualClock()
    const store = createMemoryRevocationStore(clock)
    const { app, ports } = await buildTestApp(t, { clock, revocations: store })
    const ended = await registerAndLogin(app)
    t.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(ended.token) })).statusCode, 200)
    const live = await registerAndLogin(app)

    const member = await approvedMember(app)
    const mobile = `+82${member.mobile.slice(1)}`
    await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
    const pair = (
      await app.inject({
        method: 'POST',
        url: '/api/token/',
        payload: { mobile: member.mobile, token: ports.sms.lastCodeSentTo(mobile) }
      })
    ).json()
    const next = (
      await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })
    ).json()
    clock.advance(20_000) // past the reuse grace: the first refresh token is spent for good

    store.forget() // the process restarted (or Redis lost its data)
    const during = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(ended.token) })
    t.same(
      [during.statusCode, during.json().code],
      [503, 'SERVICE_UNAVAILABLE'],
      'fail closed while the store is rebuilt'
    )
    let after = during
    for (let i = 0; i < 100 && after.statusCode === 503; i++) {
      await new Promise(resolve => setImmediate(resolve))
      after = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(ended.token) })
    }
    t.equal(after.statusCode, 401, 'the logged-out token is still refused')
    t.equal(
      (await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(live.token) })).statusCode,
      200,
      'a live member goes on'
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: next.refresh } })).statusCode,
      200,
      'the current refresh token goes on (this instance wrote its rotation before rebuilding)'
    )
  }
)

t.test('a refresh token rotated out before the loss stays refused after it', async (t) => {
  const clock = new ManualClock()
  const store = createMemoryRevocationStore(clock)
  const { app, ports } = await buildTestApp(t, { clock, revocations: store })
  const member = await approvedMember(app)
  const mobile = `+82${member.mobile.slice(1)}`
  await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
  const pair = (
    await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: member.mobile, token: ports.sms.lastCodeSentTo(mobile) }
    })
  ).json()
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })).statusCode,
    200
  )
  clock.advance(20_000)
  store.forget()
  let stolen = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })
  for (let i = 0; i < 100 && stolen.statusCode === 503; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    stolen = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })
  }
  t.equal(stolen.statusCode, 401, 'the spent token is refused, as before the loss')
})
