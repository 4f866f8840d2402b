import t from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { uniqueSuffix, noPg, noRedis } from '../helpers/services.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { noPgbouncer, startPgbouncer } from '../helpers/pgbouncer.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// The service with DATABASE_URL on PgBouncer 1.18 in transaction mode: it migrates at start
// through it, and answers both doors with DATABASE_PREPARED_STATEMENTS=false.
t.test('the service behind transaction-mode PgBouncer', { skip: noPg || noRedis || noPgbouncer }, async t => {
  const bouncer = await startPgbouncer(t)
  const { call, logs, config } = await startServiceOnPostgresAndRedis(
    t,
    { ADMIN_API_KEY: ADMIN_KEY, DATABASE_PREPARED_STATEMENTS: 'false' },
    { via: { databasePort: bouncer.port } }
  )
  t.equal(new URL(config.database.url!).port, String(bouncer.port), 'DATABASE_URL names PgBouncer')
  t.equal(config.database.preparedStatements, false)

  t.test('phone door: sign-up, approval, code login, refresh, member read', async t => {
    const body = registration()
    const e164 = '+82' + body.mobile.slice(1)
    const signup = await call('POST', '/api/registration/', { body })
    t.equal(signup.status, 201)
    t.equal((await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
    t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
    const line = logs.lines.map(text => JSON.parse(text))
      .findLast(entry => entry.msg === 'sms.sent' && entry.to === e164)
    const code = /\d{6}/.exec(line?.text ?? '')?.[0] ?? ''
    const session = await call('POST', '/api/token/', { body: { mobile: e164, token: code } })
    t.equal(session.status, 200, 'code login')
    const rotated = await call('POST', '/api/token/refresh/', { body: { refresh: session.body.refresh } })
    t.equal(rotated.status, 200, 'refresh')
    const me = await call('GET', '/api/users/me/', { token: rotated.body.access })
    t.equal(me.status, 200)
    t.equal(me.body.uuid, signup.body.user.uuid)
  })

  t.test('email door: register, login, me', async t => {
    const email = `pgbouncer-${uniqueSuffix()}@example.com`
    const password = 'correct horse battery'
    t.equal((await call('POST', '/auth/register', { body: { email, password } })).status, 200)
    const login = await call('POST', '/auth/login/json', { body: { email, password } })
    t.equal(login.status, 200)
    const me = await call('GET', '/auth/me', { token: login.body.access_token })
    t.equal(me.status, 200)
    t.equal(me.body.email, email)
  })
})
