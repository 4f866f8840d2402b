import t from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// PostgreSQL refuses a NUL in text (SQLSTATE 22021): these requests were 500s with an error line.
t.test('input hygiene on PostgreSQL + Redis', { skip: noPg || noRedis }, async (t) => {
  const { call, logs } = await startServiceOnPostgresAndRedis(t, { ADMIN_API_KEY: ADMIN_KEY })
  const errorLines = () => logs.lines.filter((line) => JSON.parse(line).level >= 50)
  const invalid = (field: string) => ({
    code: 'INVALID_INPUT',
    message: '잘못된 입력입니다',
    detail: `${field}: 올바른 값을 입력하세요.`
  })

  t.test('a NUL in a login email: 400, no query, no error line', async (t) => {
    const res = await call('POST', '/auth/login/json', { body: { email: 'a\u0000@example.com', password: 'x' } })
    t.equal(res.status, 400)
    t.same(res.body, invalid('email'))
  })

  t.test('a NUL in a sign-up: 400, and nothing was written (the same sign-up then succeeds)', async (t) => {
    const email = `nul-${uniqueSuffix()}@example.com`
    for (const body of [
      { email: email.replace('@', '\u0000@'), password: 'password123' },
      { email, password: 'password123', fcm_token: 'dev\u0000ice' }
    ]) {
      const res = await call('POST', '/auth/register', { body })
      t.equal(res.status, 400)
      t.same(res.body, Object.keys(body).includes('fcm_token') ? invalid('fcm_token') : invalid('email'))
    }
    t.equal(
      (await call('POST', '/auth/register', { body: { email, password: 'password123', fcm_token: 'device' } })).status,
      200
    )

    const phone = registration()
    for (const field of ['username', 'name', 'carrier', 'unique_key']) {
      const res = await call('POST', '/api/registration/', { body: { ...phone, [field]: 'x\u0000y' } })
      t.equal(res.status, 400, field)
      t.same(res.body, { [field]: ['올바른 값을 입력하세요.'] })
    }
    t.equal(
      (await call('POST', '/api/registration/', { body: phone })).status,
      201,
      'the mobile and username were still free'
    )
  })

  t.test('an admin rejection reason with a NUL: 400, the member stays pending', async (t) => {
    const signup = await call('POST', '/api/registration/', { body: registration() })
    const uuid = signup.body.user.uuid as string
    const res = await call('POST', `/admin/users/${uuid}/reject`, { headers: admin, body: { reason: 'no\u0000pe' } })
    t.equal(res.status, 400)
    t.same(res.body, { reason: ['올바른 값을 입력하세요.'] })
    t.equal((await call('GET', `/admin/users/${uuid}`, { headers: admin })).body.status, 'pending')
    const multiline = await call('POST', `/admin/users/${uuid}/reject`, {
      headers: admin,
      body: { reason: '사진 불일치\n다시 올려주세요.' }
    })
    t.equal(multiline.body.rejection_reason, '사진 불일치\n다시 올려주세요.', 'line breaks are stored')
  })

  t.test('one canonical email in the unique index: an IDN in either form is one account', async (t) => {
    const local = `idn-${uniqueSuffix()}`
    t.equal(
      (await call('POST', '/auth/register', { body: { email: `${local}@bücher.de`, password: 'password123' } })).status,
      200
    )
    const again = await call('POST', '/auth/register', {
      body: { email: `${local}@XN--BCHER-KVA.DE`, password: 'password123' }
    })
    t.equal(again.status, 400)
    t.equal(again.body.code, 'EMAIL_EXISTS')
    const login = await call('POST', '/auth/login/json', {
      body: { email: `${local}@xn--bcher-kva.de`, password: 'password123' }
    })
    t.equal(login.status, 200)
    t.equal((await call('GET', '/auth/me', { token: login.body.access_token })).body.email, `${local}@xn--bcher-kva.de`)
  })

  t.test('no request above logged an error', async (t) => {
    t.same(errorLines(), [])
  })
})
