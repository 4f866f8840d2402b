import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TEST_SETTINGS, buildTestApp } from '../helpers/build-test-app.js'
import { bearer } from '../helpers/email-flows.js'
import { approvedMember } from '../helpers/phone-flows.js'

const refresh = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: token } })
const me = (app: FastifyInstance, access: string) =>
  app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(access) })

t.test('an app that fires twenty refreshes at once gets one successor pair, twenty times', async (t) => {
  const { app } = await buildTestApp(t)
  const member = await approvedMember(app)
  const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(app, member.refresh)))
  t.same(answers.map((res) => res.statusCode), Array(20).fill(200))
  const pairs = new Set(answers.map((res) => res.body))
  t.equal(pairs.size, 1, 'the very same access and refresh tokens')
  const successor = answers[0]!.json()
  t.not(successor.refresh, member.refresh)
  t.equal((await me(app, successor.access)).statusCode, 200)
  t.equal((await refresh(app, successor.refresh)).statusCode, 200, 'the successor rotates as usual')
})

t.test('a rotated token presented after the grace window ends the whole family', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const member = await approvedMember(app)
  const other = await approvedMember(app) // another member's session is not touched
  const first = (await refresh(app, member.refresh)).json()
  const second = (await refresh(app, first.refresh)).json()

  ports.clock.advance((TEST_SETTINGS.tokens.reuseGraceSeconds + 1) * 1000)
  const replay = await refresh(app, member.refresh)
  t.equal(replay.statusCode, 401)
  t.same(replay.json(), { detail: '유효하지 않은 토큰입니다', code: 'token_not_valid' })

  t.equal((await refresh(app, second.refresh)).statusCode, 401, 'the newest refresh token of the family is dead')
  t.equal((await me(app, second.access)).statusCode, 401, 'so is every access token of the family')
  t.equal((await me(app, first.access)).statusCode, 401)
  t.equal((await me(app, other.access)).statusCode, 200)
  t.equal((await refresh(app, other.refresh)).statusCode, 200)
})

t.test('inside the grace window a spent token only ever answers the pair it was rotated into', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const member = await approvedMember(app)
  const first = (await refresh(app, member.refresh)).json()
  ports.clock.advance(TEST_SETTINGS.tokens.reuseGraceSeconds * 1000 - 1)
  t.same((await refresh(app, member.refresh)).json(), first)
  ports.clock.advance(2)
  t.equal((await refresh(app, member.refresh)).statusCode, 401)
  t.equal((await refresh(app, first.refresh)).statusCode, 401)
})

t.test('REFRESH_REUSE_GRACE=0: a second use a millisecond later is reuse', async (t) => {
  const { app, ports } = await buildTestApp(t, {}, { tokens: { ...TEST_SETTINGS.tokens, reuseGraceSeconds: 0 } })
  const member = await approvedMember(app)
  const first = await refresh(app, member.refresh)
  t.equal(first.statusCode, 200)
  ports.clock.advance(1)
  t.equal((await refresh(app, member.refresh)).statusCode, 401)
  t.equal((await refresh(app, first.json().refresh)).statusCode, 401)
})

t.test('logout ends the refresh side of the family; its access token lives out its life (seed 1)', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const member = await approvedMember(app)
  const first = (await refresh(app, member.refresh)).json()
  const logout = await app.inject({ method: 'POST', url: '/api/logout/', payload: { refresh: first.refresh } })
  t.equal(logout.statusCode, 200)
  t.equal((await refresh(app, first.refresh)).statusCode, 401)
  t.equal(
    (await refresh(app, member.refresh)).statusCode,
    401,
    'the rotated predecessor does not come back, even inside the grace'
  )
  t.equal((await me(app, first.access)).statusCode, 200)
  const again = await app.inject({ method: 'POST', url: '/api/logout/', payload: { refresh: first.refresh } })
  t.equal(again.statusCode, 401, 'a second logout with the same token is refused')
  ports.clock.advance((TEST_SETTINGS.tokens.reuseGraceSeconds + 1) * 1000)
  t.equal(
    (await me(app, first.access)).statusCode,
    200,
    'a refused replay after logout does not end the access token either'
  )
})

t.test('a refresh racing a sign-out everywhere cannot mint a pair that outlives it', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const member = await approvedMember(app)
  // Hold the first cutoff's write until the racing refresh is done: the refresh reads the old
  // standing and stamps its pair after that first cutoff.
  let reached!: () => void
  const atGate = new Promise<void>((resolve) => { reached = resolve })
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const write = ports.accounts.setTokensValidAfter.bind(ports.accounts)
  let held = false
  ports.accounts.setTokensValidAfter = async (id, instant) => {
    if (!held) { held = true; reached(); await gate }
    return write(id, instant)
  }

  const logout = app.inject({ method: 'POST', url: '/auth/logout?scope=all', headers: bearer(member.access) })
  await atGate
  ports.clock.advance(5)
  const raced = await refresh(app, member.refresh)
  t.equal(raced.statusCode, 200, 'the refresh saw the standing before the sign-out landed')
  ports.clock.advance(5)
  release()
  t.equal((await logout).statusCode, 200)

  t.equal((await me(app, raced.json().access)).statusCode, 401, 'the raced pair is ended too')
  t.equal((await refresh(app, raced.json().refresh)).statusCode, 401)
  t.equal((await me(app, member.access)).statusCode, 401)
})

t.test('one round trip: the rotation is claimed while the admission\'s reads are still out', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const member = await approvedMember(app)
  const order: string[] = []
  const findCard = ports.accounts.findCard.bind(ports.accounts)
  ports.accounts.findCard = async (id) => {
    order.push('card asked')
    await new Promise(resolve => setImmediate(resolve))
    const card = await findCard(id)
    order.push('card read')
    return card
  }
  const claimRotation = ports.revocations.claimRotation.bind(ports.revocations)
  ports.revocations.claimRotation = async (...args) => {
    order.push('rotation claimed')
    return await claimRotation(...args)
  }
  t.equal((await refresh(app, member.refresh)).statusCode, 200)
  t.same(order, ['card asked', 'rotation claimed', 'card read'], 'the claim went out before the card came back')
})

t.test('a token the admission refuses gets nothing from the rotation its refresh claimed', async (t) => {
  const { app } = await buildTestApp(t)
  const member = await approvedMember(app)
  const logout = await app.inject({ method: 'POST', url: '/api/logout/', payload: { refresh: member.refresh } })
  t.equal(logout.statusCode, 200)
  // The first refresh records a rotation beside the revocation check; the second, inside the grace
  // window, would be handed that rotation's pair if anything but the admission decided.
  for (const attempt of ['first', 'second']) {
    const res = await refresh(app, member.refresh)
    t.equal(res.statusCode, 401, `${attempt} refresh after logout`)
    t.same(res.json(), { detail: '유효하지 않은 토큰입니다', code: 'token_not_valid' })
  }
})
