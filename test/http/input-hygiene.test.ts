import t from 'tap'
import { buildTestApp, type LogCapture, type TestPorts } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'
import { fromShortUuid } from '../../src/domain/short-uuid.js'

const INVALID_KO = '올바른 값을 입력하세요.'
const NOT_MOBILE_KO = '문자를 받을 수 없는 번호입니다. 휴대폰 번호를 입력하세요.'
const REGION_KO = '인증번호를 보낼 수 없는 국가의 번호입니다.'

/** The email door's 400 for one refused field. */
const authInvalid = (field: string) => ({
  code: 'INVALID_INPUT',
  message: '잘못된 입력입니다',
  detail: `${field}: ${INVALID_KO}`
})

/** What a refused request could have changed: members, catalog, push tokens. */
async function snapshot (ports: TestPorts, userId?: string) {
  return {
    members: (await ports.review.listByStatus(null, 0, 1000)).total,
    interests: (await ports.catalog.list('interest')).length,
    professions: (await ports.catalog.list('profession')).length,
    tokens: userId === undefined ? [] : await ports.pushTokens.list(userId)
  }
}

const errorLines = (logs: LogCapture) => logs.lines.filter((line) => JSON.parse(line).level >= 50)

t.test(
  "a NUL in any stored or looked-up text field: 400 on that field, in the door's format, nothing written",
  async t => {
    const { app, ports, logs } = await buildTestApp(t)
    const account = await registerAndLogin(app)
    const accountId = (await ports.accounts.findByEmail(account.email))!.id
    const signup = await app.inject({ method: 'POST', url: '/api/registration/', payload: registration() })
    const pending = signup.json().user.uuid as string

    const cases: Array<{
      name: string
      method: 'POST' | 'PUT' | 'GET'
      url: string
      field: string
      payload?: Record<string, unknown>
      form?: string
      headers?: Record<string, string>
      door: 'auth' | 'api'
    }> = [
      {
        name: 'login email',
        method: 'POST',
        url: '/auth/login/json',
        field: 'email',
        payload: { email: 'a\u0000@example.com', password: 'x' },
        door: 'auth'
      },
      {
        name: 'form login username',
        method: 'POST',
        url: '/auth/login',
        field: 'username',
        form: 'username=a%00%40example.com&password=x',
        door: 'auth'
      },
      {
        name: 'register email',
        method: 'POST',
        url: '/auth/register',
        field: 'email',
        payload: { email: `nul-${uniqueSuffix()}\u0000@example.com`, password: 'password123' },
        door: 'auth'
      },
      {
        name: 'register fcm_token',
        method: 'POST',
        url: '/auth/register',
        field: 'fcm_token',
        payload: { email: `nul-${uniqueSuffix()}@example.com`, password: 'password123', fcm_token: 'dev\u0000ice' },
        door: 'auth'
      },
      {
        name: 'fcm-token',
        method: 'PUT',
        url: '/auth/fcm-token',
        field: 'fcm_token',
        payload: { fcm_token: 'dev\u0000ice' },
        headers: bearer(account.token),
        door: 'auth'
      },
      ...['username', 'name', 'carrier', 'unique_key', 'unique_in_site'].map(field => ({
        name: `registration ${field}`,
        method: 'POST' as const,
        url: '/api/registration/',
        field,
        payload: registration({ [field]: 'x\u0000y' }),
        door: 'api' as const
      })),
      {
        name: 'registration mobile',
        method: 'POST',
        url: '/api/registration/',
        field: 'mobile',
        payload: registration({ mobile: '010\u00002345\u00006789' }),
        door: 'api'
      },
      {
        name: 'registration nested file key',
        method: 'POST',
        url: '/api/registration/',
        field: 'verification_files',
        payload: registration({ verification_files: [{ display_order: 0, original: 'verification/a\u0000.jpg' }] }),
        door: 'api'
      },
      {
        name: 'login code request mobile',
        method: 'POST',
        url: '/api/auth/mobile/',
        field: 'mobile',
        payload: { mobile: '010\u000012345678' },
        door: 'api'
      },
      {
        name: 'admin reject reason',
        method: 'POST',
        url: `/admin/users/${pending}/reject`,
        field: 'reason',
        payload: { reason: '서류\u0000불일치' },
        headers: admin,
        door: 'api'
      },
      {
        name: 'admin interest name',
        method: 'POST',
        url: '/admin/interests',
        field: 'name',
        payload: { name: '골\u0000프', emoji: '⛳' },
        headers: admin,
        door: 'api'
      },
      {
        name: 'admin profession name',
        method: 'POST',
        url: '/admin/professions',
        field: 'name',
        payload: { name: '의\u0000사', emoji: '🩺' },
        headers: admin,
        door: 'api'
      },
      {
        name: 'admin path parameter',
        method: 'GET',
        url: '/admin/users/abc%00def',
        field: 'uuid',
        headers: admin,
        door: 'api'
      },
      {
        name: 'admin query parameter',
        method: 'GET',
        url: '/admin/users?x=%00',
        field: 'x',
        headers: admin,
        door: 'api'
      }
    ]

    const before = await snapshot(ports, accountId)
    for (const c of cases) {
      const res = await app.inject({
        method: c.method,
        url: c.url,
        headers: {
          ...c.headers,
          ...(c.form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' })
        },
        ...(c.form !== undefined ? { payload: c.form } : c.payload !== undefined ? { payload: c.payload } : {})
      })
      t.equal(res.statusCode, 400, c.name)
      t.same(
        res.json(),
        c.door === 'auth' ? authInvalid(c.field) : { [c.field]: [INVALID_KO] },
        `${c.name}: the door's field error`
      )
    }
    t.same(await snapshot(ports, accountId), before, 'no member, catalog item or push token written')
    t.equal(
      (await ports.accounts.findById(fromUuid(pending)))?.status ?? 'pending',
      'pending',
      'the member was not rejected'
    )
    t.same(errorLines(logs), [], 'no error line logged')
  }
)

t.test('other C0 controls and DEL are refused too; English with Accept-Language: en', async (t) => {
  const { app, ports } = await buildTestApp(t)
  for (const control of ['\u0001', '\u0008', '\u001b', '\u001f', '\u007f', '\n', '\t']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      headers: { 'accept-language': 'en' },
      payload: registration({ name: `손${control}흥민` })
    })
    t.equal(res.statusCode, 400, JSON.stringify(control))
    t.same(res.json(), { name: ['Enter a valid value.'] })
  }
  t.equal((await ports.review.listByStatus(null, 0, 10)).total, 0)
  const fine = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: registration({ name: '손흥민 ü 🙂 \u0080' })
  })
  t.equal(fine.statusCode, 201, 'letters, emoji and characters past DEL pass')
})

t.test('exceptions: passwords take any character, a rejection reason keeps its line breaks', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const email = `ctl-${uniqueSuffix()}@example.com`
  const password = 'pass\u0000word\u0007\u001b[31m'
  t.equal((await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password } })).statusCode, 200)
  const login = await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email, password } })
  t.equal(login.statusCode, 200, 'the same password logs in')
  const form = await app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `username=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`
  })
  t.equal(form.statusCode, 200, 'and through the form')

  const signup = await app.inject({ method: 'POST', url: '/api/registration/', payload: registration() })
  const uuid = signup.json().user.uuid as string
  const reason = '사진 불일치\r\n신분증을 다시 올려주세요.\t(1/2)'
  const rejected = await app.inject({
    method: 'POST',
    url: `/admin/users/${uuid}/reject`,
    headers: admin,
    payload: { reason }
  })
  t.equal(rejected.statusCode, 200)
  t.equal(rejected.json().rejection_reason, reason)
  t.equal((await ports.accounts.findById(fromUuid(uuid)))?.status, 'rejected')
})

t.test('sign-up refuses numbers a code can never reach; the code request agrees', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const refused: Array<[string, string, string]> = [
    ['a UK mobile', '+447400123456', REGION_KO],
    ['a US number', '+12015550123', REGION_KO],
    ['a Seoul landline', '02-312-3456', NOT_MOBILE_KO],
    ['a Busan landline in E.164', '+82516401234', NOT_MOBILE_KO],
    ['a Korean VoIP number', '070-1234-5678', NOT_MOBILE_KO],
    ['a Korean toll-free number', '080-123-4567', NOT_MOBILE_KO]
  ]
  for (const [name, mobile, text] of refused) {
    const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: registration({ mobile }) })
    t.equal(res.statusCode, 400, name)
    t.same(res.json(), { mobile: [text] }, name)
    const code = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile } })
    t.equal(code.statusCode, 400, `${name}: no code either`)
    t.same(code.json(), { mobile: [text] })
  }
  t.equal((await ports.review.listByStatus(null, 0, 10)).total, 0, 'nobody signed up')
  t.equal(ports.sms.sent.length, 0, 'nothing texted')
  const english = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    headers: { 'accept-language': 'en' },
    payload: registration({ mobile: '0212345678' })
  })
  t.same(english.json(), { mobile: ['This number cannot receive text messages. Enter a mobile number.'] })
  const mobile = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: registration({ mobile: '010-2312-3456' })
  })
  t.equal(mobile.statusCode, 201, 'a Korean mobile signs up')
})

t.test('one canonical email: IDN, width and case variants are one account', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const local = `idn${uniqueSuffix()}`
  const password = 'password123'
  const first = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: `${local}@bücher.de`, password }
  })
  t.equal(first.statusCode, 200)
  t.ok(await ports.accounts.findByEmail(`${local}@xn--bcher-kva.de`), 'stored with the domain in ASCII form')
  const fullwidth = [...local].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')
  for (const variant of [
    `${local}@xn--bcher-kva.de`,
    `${local.toUpperCase()}@BÜCHER.DE`,
    `${fullwidth}＠ｂüｃｈｅｒ．ｄｅ`,
    `${local}@bücher。de`
  ]) {
    const again = await app.inject({ method: 'POST', url: '/auth/register', payload: { email: variant, password } })
    t.equal(again.statusCode, 400, variant)
    t.equal(again.json().code, 'EMAIL_EXISTS', variant)
    const login = await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email: variant, password } })
    t.equal(login.statusCode, 200, `log in as ${variant}`)
  }
  t.equal((await ports.review.listByStatus(null, 0, 10)).total, 1, 'one account')

  for (const hidden of ['\u200b', '\u200d', '\u00ad', '\u202e', '\u2066', '\ufeff', '\u3164']) {
    const sneaky = `${local}${hidden}@bücher.de`
    const res = await app.inject({ method: 'POST', url: '/auth/register', payload: { email: sneaky, password } })
    t.equal(res.statusCode, 400, JSON.stringify(hidden))
    t.same(res.json(), { code: 'INVALID_INPUT', message: '잘못된 입력입니다', detail: 'email: 유효한 이메일 주소를 입력하십시오.' })
    const login = await app.inject({ method: 'POST', url: '/auth/login/json', payload: { email: sneaky, password } })
    t.equal(login.statusCode, 401, 'no account is reached through an invisible character')
  }
  t.equal((await ports.review.listByStatus(null, 0, 10)).total, 1)
})

/** Answers carry short uuids; the repository is keyed by the internal id. */
const fromUuid = (short: string): string => fromShortUuid(short)!
