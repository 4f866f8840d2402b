import t from 'tap'
import { makeAddStaff } from '../../src/application/staff/add-staff.js'
import { makeRecordAudit } from '../../src/application/audit/record-audit.js'
import { ValidationError } from '../../src/domain/errors.js'
import type { Email } from '../../src/domain/email.js'
import { buildTestApp, memoryPorts } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

// Issue 21, finding 5: an address that reads like a member's (`vіctim` with a Cyrillic і) is refused
// wherever an address enters, as a field error in the email door's envelope; login is untouched.
const LOOKALIKE_KO = { code: 'INVALID_INPUT', message: '잘못된 입력입니다', detail: 'email: 다른 주소처럼 보일 수 있는 문자가 섞인 이메일 주소입니다.' }
const LOOKALIKE_EN = {
  code: 'INVALID_INPUT',
  message: 'Invalid input',
  detail: 'email: This email address has characters that could make it look like another address.'
}
const cyrillicI = (name: string) => name.replace('i', '\u0456')

t.test('POST /auth/register: a look-alike of a member\'s address is a field error, and no account', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const victim = `victim-${uniqueSuffix()}@example.com`
  t.equal(
    (await app.inject({ method: 'POST', url: '/auth/register', payload: { email: victim, password: 'password123' } }))
      .statusCode,
    200
  )

  const lookalike = cyrillicI(victim)
  const res = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: lookalike, password: 'password123' }
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), LOOKALIKE_KO)
  t.equal(await ports.accounts.findByEmail(lookalike), null, 'nothing stored')

  const english = await app.inject({
    method: 'POST',
    url: '/auth/register',
    headers: { 'accept-language': 'en' },
    payload: { email: lookalike, password: 'password123' }
  })
  t.same([english.statusCode, english.json()], [400, LOOKALIKE_EN])

  const both = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: '\u0455\u0441\u0430\u0440@example.com', password: 'short' }
  })
  t.equal(both.statusCode, 400)
  t.match(
    both.json().detail,
    /^email: 다른 주소처럼 .*; password: 비밀번호는 8자 이상/,
    'reported with the other field problems at once'
  )

  for (const fine of [`jos\u00e9-${uniqueSuffix()}@example.com`, `\ud64d\uae38\ub3d9${uniqueSuffix()}@example.com`]) {
    t.equal(
      (await app.inject({ method: 'POST', url: '/auth/register', payload: { email: fine, password: 'password123' } }))
        .statusCode,
      200,
      fine
    )
  }
})

t.test('PUT /auth/email: a look-alike new address is a field error, and nothing is staged', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const { email, token } = await registerAndLogin(app)
  const lookalike = `g\u03bf\u03bfgle-${uniqueSuffix()}@example.com`
  const res = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(token),
    payload: { email: lookalike, password: 'correct horse battery' }
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), LOOKALIKE_KO)
  const user = await ports.accounts.findByEmail(email)
  t.equal(await ports.emailChanges.findPendingEmail(user!.id), null, 'nothing staged')
  t.equal(ports.mail.lastCodeSentTo(lookalike), null, 'no code mailed')

  const domain = await app.inject({
    method: 'PUT',
    url: '/auth/email',
    headers: bearer(token),
    payload: { email: `${uniqueSuffix()}@ex\u0430mple.com`, password: 'correct horse battery' }
  })
  t.same([domain.statusCode, domain.json()], [400, LOOKALIKE_KO], 'a look-alike domain too')

  const moved = `moved-${uniqueSuffix()}@example.com`
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: '/auth/email',
        headers: bearer(token),
        payload: { email: moved, password: 'correct horse battery' }
      })
    ).statusCode,
    202,
    'an ordinary new address still goes'
  )
})

t.test('a member whose address predates the check still signs in with it', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const stored = cyrillicI(`victim-${uniqueSuffix()}@example.com`) as Email
  await ports.accounts.create({
    id: ports.ids.newId(),
    email: stored,
    passwordHash: await ports.hasher.hash('password123'),
    mobile: null,
    status: 'approved',
    language: 'ko',
    profile: null,
    pushToken: null
  })
  const login = await app.inject({
    method: 'POST',
    url: '/auth/login/json',
    payload: { email: stored, password: 'password123' }
  })
  t.equal(login.statusCode, 200)
  t.type(login.json().access_token, 'string')
})

t.test('a staff member cannot be added under a look-alike address', async (t) => {
  const ports = await memoryPorts()
  const addStaff = makeAddStaff({ ...ports, recordAudit: makeRecordAudit({ audit: ports.audit, clock: ports.clock }) })
  const refusal = await addStaff(
    { email: cyrillicI('admin@staff.test'), role: 'admin', password: 'staff password 123' },
    { kind: 'system' }
  ).catch((error: unknown) => error)
  t.type(refusal, ValidationError)
  t.same((refusal as ValidationError).fields, { email: ['lookalike_email'] })
})
