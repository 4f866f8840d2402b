import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'

const INVALID_TOKEN = { code: 'INVALID_TOKEN', message: '유효하지 않은 토큰입니다', detail: 'Could not validate credentials' }

t.test('POST /auth/register', async (t) => {
  const { app, ports } = await buildTestApp(t)

  t.test('creates an approved user with a normalised email and its push token', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: '  New.User@Example.COM ', password: 'password123', fcm_token: 'device-1' }
    })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { message: 'User created successfully' })
    const user = await ports.accounts.findByEmail('new.user@example.com')
    t.equal(user?.status, 'approved')
    t.not(user?.passwordHash, 'password123')
    t.match(user?.passwordHash, /^\$argon2id\$/)
    t.same(await ports.pushTokens.list(user!.id), ['device-1'])
  })

  t.test('the same email in another case is EMAIL_EXISTS', async (t) => {
    await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'dup@example.com', password: 'password123' }
    })
    const res = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'DUP@example.com', password: 'password456' }
    })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { code: 'EMAIL_EXISTS', message: '이미 등록된 이메일입니다', detail: '이미 등록된 이메일입니다' })
  })

  t.test('English with Accept-Language: en', async (t) => {
    await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'dup-en@example.com', password: 'password123' }
    })
    const res = await app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'accept-language': 'en-US,en;q=0.9,ko;q=0.5' },
      payload: { email: 'dup-en@example.com', password: 'password123' }
    })
    t.same(res.json(), {
      code: 'EMAIL_EXISTS',
      message: 'This email is already registered',
      detail: 'This email is already registered'
    })
  })

  const invalid: Array<[string, unknown, RegExp]> = [
    ['a short password', { email: 'short@example.com', password: '1234567' }, /password: 비밀번호는 8자 이상/],
    ['a malformed email', { email: 'not-an-email', password: 'password123' }, /email: 유효한 이메일/],
    ['a missing email', { password: 'password123' }, /email: 이 필드는 필수 항목입니다/],
    ['a number as password', { email: 'num@example.com', password: 12345678 }, /password: 올바른 형식이 아닙니다/],
    ['an array body', [1, 2], /non_field_errors/],
    ['fcm_token of the wrong type', { email: 'fcm@example.com', password: 'password123', fcm_token: 5 }, /fcm_token/]
  ]
  for (const [name, payload, detail] of invalid) {
    t.test(`${name} is INVALID_INPUT`, async (t) => {
      const res = await app.inject({ method: 'POST', url: '/auth/register', payload: payload as object })
      t.equal(res.statusCode, 400)
      t.equal(res.json().code, 'INVALID_INPUT')
      t.equal(res.json().message, '잘못된 입력입니다')
      t.match(res.json().detail, detail)
    })
  }

  t.test('a password of 8 Korean characters is long enough', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'hangul@example.com', password: '비밀번호비밀번호' }
    })
    t.equal(res.statusCode, 200)
  })

  t.test('malformed JSON and a wrong content type are 4xx in the door format', async (t) => {
    const broken = await app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": '
    })
    t.equal(broken.statusCode, 400)
    t.same(Object.keys(broken.json()).sort(), ['code', 'detail', 'message'])
    t.equal(broken.json().code, 'INVALID_INPUT')
    const text = await app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello'
    })
    t.equal(text.statusCode, 415)
    t.equal(text.json().code, 'UNSUPPORTED_MEDIA_TYPE')
    const empty = await app.inject({ method: 'POST', url: '/auth/register' })
    t.equal(empty.statusCode, 400)
    t.equal(empty.json().code, 'INVALID_INPUT')
  })
})

t.test('POST /auth/login/json and /auth/login', async (t) => {
  const { app } = await buildTestApp(t)
  const { email, password } = await registerAndLogin(app)

  t.test('answers a bearer token', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/login/json',
      payload: { email: email.toUpperCase(), password }
    })
    t.equal(res.statusCode, 200)
    t.same(Object.keys(res.json()).sort(), ['access_token', 'token_type'])
    t.equal(res.json().token_type, 'bearer')
    t.match(res.json().access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/)
  })

  const WRONG = {
    code: 'INVALID_CREDENTIALS',
    message: '이메일 또는 비밀번호가 올바르지 않습니다',
    detail: 'Incorrect email or password'
  }
  t.test('a wrong password, an unknown or malformed email: the same 401', async (t) => {
    for (const payload of [
      { email, password: 'wrong password' },
      { email: 'nobody@example.com', password },
      { email: 'nonsense', password }
    ]) {
      const res = await app.inject({ method: 'POST', url: '/auth/login/json', payload })
      t.equal(res.statusCode, 401)
      t.same(res.json(), WRONG)
    }
  })

  t.test('missing fields are INVALID_INPUT', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email } })
    t.equal(res.statusCode, 400)
    t.equal(res.json().code, 'INVALID_INPUT')
  })

  t.test('the OAuth2 form login takes username = email', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username: email, password, grant_type: 'password' }).toString()
    })
    t.equal(res.statusCode, 200)
    t.equal(res.json().token_type, 'bearer')
    const wrong = await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=${encodeURIComponent(email)}&password=nope`
    })
    t.equal(wrong.statusCode, 401)
    t.same(wrong.json(), WRONG)
  })
})

t.test('GET /auth/me and token failures', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email, token } = await registerAndLogin(app)

  t.test("answers the caller's account", async (t) => {
    const res = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
    t.equal(res.statusCode, 200)
    t.equal(res.json().email, email)
    t.equal(res.json().status, 'approved')
    t.equal(res.json().mobile, null)
    t.match(res.json().uuid, /^[2-9A-HJ-NP-Za-km-z]{22}$/)
    t.notOk('password_hash' in res.json())
  })

  const cases: Array<[string, Record<string, string>]> = [
    ['no header', {}],
    ['not a bearer header', { authorization: `Basic ${token}` }],
    ['a forged signature', bearer(token.slice(0, -4) + 'AAAA')],
    ['garbage', bearer('not.a.token')],
    [
      'an alg=none token',
      bearer(Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url') + '.' + token.split('.')[1] + '.')
    ]
  ]
  for (const [name, headers] of cases) {
    t.test(`${name} is INVALID_TOKEN`, async (t) => {
      const res = await app.inject({ method: 'GET', url: '/auth/me', headers })
      t.equal(res.statusCode, 401)
      t.same(res.json(), INVALID_TOKEN)
    })
  }

  t.test('an expired token is TOKEN_EXPIRED', async (t) => {
    ports.clock.advance(31 * 86400 * 1000)
    t.teardown(() => ports.clock.advance(-31 * 86400 * 1000))
    const res = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
    t.equal(res.statusCode, 401)
    t.same(res.json(), {
      code: 'TOKEN_EXPIRED',
      message: '토큰이 만료되었습니다. 다시 로그인해주세요',
      detail: 'Could not validate credentials'
    })
  })

  t.test('in English', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/auth/me', headers: { 'accept-language': 'en' } })
    t.same(res.json(), {
      code: 'INVALID_TOKEN',
      message: 'The token is not valid',
      detail: 'Could not validate credentials'
    })
  })
})

t.test('POST /auth/logout', async (t) => {
  const { app, ports } = await buildTestApp(t)

  t.test('revokes this token only', async (t) => {
    const { email, password, token } = await registerAndLogin(app)
    const other = (await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })).json()
      .access_token
    const res = await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { message: 'Successfully logged out' })
    const again = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
    t.equal(again.statusCode, 401)
    t.same(again.json(), INVALID_TOKEN)
    t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(other) })).statusCode, 200)
    t.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })).statusCode, 401)
  })

  t.test('scope=all ends every session of the account, and a new login works', async (t) => {
    const { email, password, token } = await registerAndLogin(app)
    const other = (await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })).json()
      .access_token
    const res = await app.inject({ method: 'POST', url: '/auth/logout?scope=all', headers: bearer(token) })
    t.equal(res.statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(other) })).statusCode, 401)
    ports.clock.advance(1)
    const fresh = (await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })).json()
      .access_token
    t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(fresh) })).statusCode, 200)
  })

  t.test('an unknown scope is INVALID_INPUT', async (t) => {
    const { token } = await registerAndLogin(app)
    const res = await app.inject({ method: 'POST', url: '/auth/logout?scope=galaxy', headers: bearer(token) })
    t.equal(res.statusCode, 400)
    t.equal(res.json().code, 'INVALID_INPUT')
  })

  t.test('without a token is 401 with the seed detail', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/auth/logout' })
    t.equal(res.statusCode, 401)
    t.equal(res.json().detail, 'Could not validate credentials')
  })
})

t.test('DELETE /auth/me', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email, password, token } = await registerAndLogin(app, { fcm_token: 'device-del' })
  const second = (await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })).json()
    .access_token
  const user = await ports.accounts.findByEmail(email)

  const res = await app.inject({ method: 'DELETE', url: '/auth/me', headers: bearer(token) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { message: 'User account deleted successfully' })
  t.equal(await ports.accounts.findById(user!.id), null)
  t.same(await ports.pushTokens.list(user!.id), [])
  for (const stale of [token, second]) {
    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(stale) })
    t.equal(me.statusCode, 401)
    t.same(me.json(), { code: 'USER_NOT_FOUND', message: '사용자를 찾을 수 없습니다', detail: 'Could not validate credentials' })
  }
  // The email is free again, and the old tokens do not work for the new account.
  const again = await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password } })
  t.equal(again.statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(second) })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })).statusCode, 200)
})

t.test('PUT /auth/fcm-token', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email, token } = await registerAndLogin(app, { fcm_token: 'phone-1' })
  const user = await ports.accounts.findByEmail(email)

  const res = await app.inject({
    method: 'PUT',
    url: '/auth/fcm-token',
    headers: bearer(token),
    payload: { fcm_token: 'tablet-2' }
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { message: 'FCM token updated successfully' })
  t.same(await ports.pushTokens.list(user!.id), ['phone-1', 'tablet-2'])

  const blank = await app.inject({
    method: 'PUT',
    url: '/auth/fcm-token',
    headers: bearer(token),
    payload: { fcm_token: '   ' }
  })
  t.equal(blank.statusCode, 400)
  t.equal(blank.json().code, 'INVALID_INPUT')
  const missing = await app.inject({ method: 'PUT', url: '/auth/fcm-token', headers: bearer(token), payload: {} })
  t.equal(missing.statusCode, 400)
  t.equal((await app.inject({ method: 'PUT', url: '/auth/fcm-token', payload: { fcm_token: 'x' } })).statusCode, 401)

  t.test('a store failure is the seed\'s UPDATE_FAILED', async (t) => {
    const failing = Object.create(ports.pushTokens)
    failing.add = async () => { throw new Error('disk on fire') }
    const { app: broken, ports: brokenPorts } = await buildTestApp(t, { pushTokens: failing })
    const session = await registerAndLogin(broken)
    t.ok(brokenPorts)
    const res = await broken.inject({
      method: 'PUT',
      url: '/auth/fcm-token',
      headers: bearer(session.token),
      payload: { fcm_token: 'x' }
    })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { code: 'UPDATE_FAILED', message: 'FCM 토큰 업데이트에 실패했습니다', detail: 'FCM 토큰 업데이트에 실패했습니다' })
  })
})
