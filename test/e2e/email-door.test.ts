import t from 'tap'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

t.test('email door on PostgreSQL + Redis', { skip: noPg || noRedis }, async (t) => {
  const { call, logs } = await startServiceOnPostgresAndRedis(t)

  t.test('register -> login -> me -> fcm -> logout -> token refused', async (t) => {
    const email = `e2e-${uniqueSuffix()}@Example.com`
    const password = 'e2e password 123'
    t.same((await call('POST', '/auth/register', { body: { email, password, fcm_token: 'device-1' } })).body, {
      message: 'User created successfully'
    })
    const login = await call('POST', '/auth/login/json', { body: { email, password } })
    t.equal(login.status, 200)
    const token = login.body.access_token
    const me = await call('GET', '/auth/me', { token })
    t.equal(me.status, 200)
    t.equal(me.body.email, email.toLowerCase())
    t.equal((await call('PUT', '/auth/fcm-token', { token, body: { fcm_token: 'device-2' } })).status, 200)
    t.same((await call('POST', '/auth/logout', { token })).body, { message: 'Successfully logged out' })
    const refused = await call('GET', '/auth/me', { token })
    t.equal(refused.status, 401)
    t.equal(refused.body.code, 'INVALID_TOKEN')
    t.notMatch(logs.text, password)
    t.notMatch(logs.text, token)
  })

  t.test('register -> delete -> every token refused with USER_NOT_FOUND', async (t) => {
    const email = `e2e-${uniqueSuffix()}@example.com`
    const password = 'e2e password 456'
    await call('POST', '/auth/register', { body: { email, password } })
    const first = (await call('POST', '/auth/login/json', { body: { email, password } })).body.access_token
    const second = (await call('POST', '/auth/login/json', { body: { email, password } })).body.access_token
    t.same((await call('DELETE', '/auth/me', { token: first })).body, { message: 'User account deleted successfully' })
    for (const token of [first, second]) {
      const res = await call('GET', '/auth/me', { token })
      t.equal(res.status, 401)
      t.equal(res.body.code, 'USER_NOT_FOUND')
    }
    t.equal((await call('POST', '/auth/login/json', { body: { email, password } })).status, 401)
  })

  t.test('the same email in two cases at once: one account', async (t) => {
    const local = `race-${uniqueSuffix()}`
    const results = await Promise.all(
      ['', '', '', ''].map((_, i) =>
        call('POST', '/auth/register', {
          body: {
            email: i % 2 === 0 ? `${local}@example.com` : `${local.toUpperCase()}@EXAMPLE.com`,
            password: 'password123'
          }
        })
      )
    )
    t.equal(results.filter((res) => res.status === 200).length, 1)
    t.ok(results.filter((res) => res.status === 400).every((res) => res.body.code === 'EMAIL_EXISTS'))
  })

  t.test('/ready checks the database and Redis', async (t) => {
    const ready = await call('GET', '/ready')
    t.equal(ready.status, 200)
    t.same(ready.body.checks, { database: 'ok', redis: 'ok' })
  })
})
