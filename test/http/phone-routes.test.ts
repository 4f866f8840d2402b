import t from 'tap'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { TEST_PHONE, TEST_PHONE_CODE, buildTestApp } from '../helpers/build-test-app.js'
import { bearer, registerAndLogin } from '../helpers/email-flows.js'
import {
  DOCTOR,
  GOLF,
  admin,
  approvedMember,
  freshMobile,
  injectUploader,
  registration,
  withUploads
} from '../helpers/phone-flows.js'

t.test('GET /api/interests/ and /api/professions/', async (t) => {
  const { app } = await buildTestApp(t)
  const interests = await app.inject({ method: 'GET', url: '/api/interests/' })
  t.equal(interests.statusCode, 200)
  t.equal(interests.json().length, CATALOG_STARTER.interests.length)
  const golf = interests.json().find((item: { uuid: string }) => item.uuid === GOLF)
  t.same(golf, { uuid: GOLF, name: '골프', emoji: '⛳', image: '/media/images/interests/interest_golf.jpeg' })
  const professions = await app.inject({ method: 'GET', url: '/api/professions/' })
  t.same(
    professions.json().find((item: { uuid: string }) => item.uuid === DOCTOR),
    { uuid: DOCTOR, name: '의사', emoji: '👨‍⚕️' }
  )
})

t.test('POST /api/registration/', async (t) => {
  const { app, ports } = await buildTestApp(t)

  t.test('201 with tokens and the seed\'s user object', async (t) => {
    const body = await withUploads(injectUploader(app), { mobile: '010-9099-1005' })
    const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body })
    t.equal(res.statusCode, 201)
    const { access, refresh, user } = res.json()
    t.type(access, 'string')
    t.type(refresh, 'string')
    t.same(Object.keys(user).sort(), [
      'age',
      'birth',
      'gender',
      'interests',
      'profession',
      'profile',
      'status',
      'username',
      'uuid'
    ])
    t.equal(user.status, 'pending')
    t.equal(user.birth, '1984-10-23')
    t.equal(user.gender, 'male')
    t.equal(user.username, body.username)
    t.match(user.uuid, /^[2-9A-HJ-NP-Za-km-z]{22}$/)
    t.equal(user.profile, `/media/${body.profile}`)
    t.same(user.interests.map((item: { name: string }) => item.name), ['골프', '테니스'])
    t.same(user.profession, { uuid: DOCTOR, name: '의사', emoji: '👨‍⚕️' })
    const today = ports.clock.now()
    const birthdayPassed = today.getUTCMonth() > 9 || (today.getUTCMonth() === 9 && today.getUTCDate() >= 23)
    t.equal(user.age, today.getUTCFullYear() - 1984 - (birthdayPassed ? 0 : 1))
    t.equal((await ports.accounts.findByMobile('+821090991005' as never))?.status, 'pending', 'mobile stored in E.164')
  })

  t.test('a duplicate username gets the seed\'s Korean text', async (t) => {
    const first = registration()
    await app.inject({ method: 'POST', url: '/api/registration/', payload: first })
    const res = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      payload: registration({ username: first.username })
    })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { username: ['해당 사용자 이름은 이미 존재합니다.'] })
  })

  t.test('the same mobile typed another way is taken', async (t) => {
    const mobile = freshMobile()
    await app.inject({ method: 'POST', url: '/api/registration/', payload: registration({ mobile }) })
    const international = '+82' + mobile.slice(1)
    const res = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      payload: registration({ mobile: international })
    })
    t.equal(res.statusCode, 400)
    t.same(Object.keys(res.json()), ['mobile'])
  })

  t.test('every invalid field gets its own message, all at once', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      payload: registration({
        mobile: '12345',
        birth: '2999-01-01',
        interests: ['nope'],
        profession: 'CLS9fByfifGwPy5YQWTQon',
        avatar: 'images/users/profiles/x.jpeg',
        username: '  '
      })
    })
    t.equal(res.statusCode, 400)
    t.same(Object.keys(res.json()).sort(), ['avatar', 'birth', 'interests', 'mobile', 'profession', 'username'])
    t.same(res.json().mobile, ['올바른 휴대폰 번호를 입력하세요.'])
    t.same(res.json().birth, ['과거의 날짜를 입력하세요.'])
    t.equal(
      await ports.review
        .listByStatus(null, 0, 1000)
        .then(page => page.users.some(user => user.profile?.username === '  ')),
      false
    )
  })

  t.test('schema errors: missing fields, wrong types, unknown gender, in English', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      headers: { 'accept-language': 'en' },
      payload: { mobile: 1, gender: 'robot', birth: '1990-02-30' }
    })
    t.equal(res.statusCode, 400)
    t.same(res.json().mobile, ['Not a valid type.'])
    t.same(res.json().gender, ['Not a valid choice.'])
    t.same(res.json().username, ['This field is required.'])
    const bad = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      payload: registration({ birth: '1990-02-30' })
    })
    t.same(bad.json(), { birth: ['날짜 형식이 잘못되었습니다. YYYY-MM-DD 형식을 사용하세요.'] })
    const broken = await app.inject({
      method: 'POST',
      url: '/api/registration/',
      headers: { 'content-type': 'application/json' },
      payload: '{"mobile":'
    })
    t.equal(broken.statusCode, 400)
    t.equal(broken.json().code, 'parse_error')
  })
})

t.test('login with an SMS code', async (t) => {
  const { app, ports } = await buildTestApp(t)
  /** An approved member who has just asked for a code, and the code the SMS carried. */
  const memberWithCode = async () => {
    const member = await approvedMember(app)
    await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
    return { member, code: ports.sms.lastCodeSentTo('+82' + member.mobile.slice(1))! }
  }

  t.test('unknown, pending and rejected numbers get the seed\'s answers', async (t) => {
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: freshMobile() } })
    t.equal(unknown.statusCode, 404)
    t.same(unknown.json(), { detail: '가입하지 않은 회원입니다', code: 'not_found' })

    const pending = registration()
    const signup = await app.inject({ method: 'POST', url: '/api/registration/', payload: pending })
    for (const url of ['/api/auth/mobile/', '/api/token/']) {
      const res = await app.inject({ method: 'POST', url, payload: { mobile: pending.mobile, token: '123456' } })
      t.equal(res.statusCode, 406)
      t.same(res.json(), { detail: '승인 대기중인 회원입니다.', code: '1006' })
    }
    await app.inject({
      method: 'POST',
      url: `/admin/users/${signup.json().user.uuid}/reject`,
      headers: admin,
      payload: { reason: '사진 불일치' }
    })
    for (const url of ['/api/auth/mobile/', '/api/token/']) {
      const res = await app.inject({ method: 'POST', url, payload: { mobile: pending.mobile, token: '123456' } })
      t.equal(res.statusCode, 403)
      t.same(res.json(), { detail: '승인 거절된 회원입니다.', code: '1005' })
    }
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/token/refresh/',
      payload: { refresh: signup.json().refresh }
    })
    t.equal(refresh.statusCode, 403)
    t.equal(refresh.json().code, '1005')
  })

  t.test('an approved member gets a code by SMS and trades it once for tokens', async (t) => {
    const member = await approvedMember(app)
    const step1 = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
    t.equal(step1.statusCode, 200)
    t.same(step1.json(), { detail: 'We texted you a login code.' })
    const e164 = '+82' + member.mobile.slice(1)
    const code = ports.sms.lastCodeSentTo(e164)
    t.match(code, /^\d{6}$/)

    const again = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
    t.equal(again.statusCode, 429)
    t.equal(again.json().code, 'throttled')
    t.ok(Number(again.headers['retry-after']) > 0)

    const wrongCode = code === '000000' ? '111111' : '000000'
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: member.mobile, token: wrongCode }
    })
    t.equal(wrong.statusCode, 401)
    t.equal(wrong.json().code, 'invalid_otp')

    const ok = await app.inject({ method: 'POST', url: '/api/token/', payload: { mobile: e164, token: code } })
    t.equal(ok.statusCode, 200)
    t.same(Object.keys(ok.json()).sort(), ['access', 'refresh', 'user'])
    t.equal(ok.json().user.status, 'approved')
    t.equal(ok.json().user.uuid, member.uuid)

    const replay = await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: member.mobile, token: code }
    })
    t.equal(replay.statusCode, 401)
    t.equal(replay.json().code, 'otp_expired')
  })

  t.test('a code expires after OTP_TTL', async (t) => {
    const { member, code } = await memberWithCode()
    ports.clock.advance(181_000)
    const res = await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: member.mobile, token: code }
    })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'otp_expired')
  })

  t.test('five wrong tries void the code', async (t) => {
    const { member, code } = await memberWithCode()
    const wrongCode = code === '000000' ? '111111' : '000000'
    const statuses = []
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await app.inject({ method: 'POST', url: '/api/token/', payload: { mobile: member.mobile, token: wrongCode } })
        ).json().code
      )
    }
    t.same(statuses, ['invalid_otp', 'invalid_otp', 'invalid_otp', 'invalid_otp', 'otp_attempts_exceeded'])
    const right = await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: member.mobile, token: code }
    })
    t.equal(right.statusCode, 429)
    t.equal(right.json().code, 'otp_attempts_exceeded')
  })

  t.test('the same code verified by 20 parallel requests: one session', async (t) => {
    const { member, code } = await memberWithCode()
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.inject({ method: 'POST', url: '/api/token/', payload: { mobile: member.mobile, token: code } })
      )
    )
    t.equal(results.filter((res) => res.statusCode === 200).length, 1)
  })

  t.test('a test number gets its fixed code and no SMS', async (t) => {
    const member = await approvedMember(app, { mobile: TEST_PHONE })
    const before = ports.sms.sent.length
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })).statusCode,
      200
    )
    t.equal(ports.sms.sent.length, before)
    const res = await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: '010-1234-5678', token: TEST_PHONE_CODE }
    })
    t.equal(res.statusCode, 200)
  })

  t.test('an SMS outage is a 503, not a 500', async (t) => {
    const member = await approvedMember(app)
    ports.sms.failing = true
    t.teardown(() => { ports.sms.failing = false })
    const res = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
    t.equal(res.statusCode, 503)
    t.equal(res.json().code, 'sms_unavailable')
    ports.sms.failing = false
    const retry = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: member.mobile } })
    t.equal(retry.statusCode, 200, 'the failed code is withdrawn: no 60 s wait to try again')
  })

  t.test('a malformed number is a field error', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: 'call me' } })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { mobile: ['올바른 휴대폰 번호를 입력하세요.'] })
  })
})

t.test('refresh rotation, logout and token types', async (t) => {
  const { app } = await buildTestApp(t)
  const member = await approvedMember(app)

  const rotated = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })
  t.equal(rotated.statusCode, 200)
  t.same(Object.keys(rotated.json()).sort(), ['access', 'refresh'])
  t.not(rotated.json().refresh, member.refresh)

  const again = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })
  t.equal(
    again.statusCode,
    200,
    'within the reuse grace the spent token answers its successor (refresh-families.test.ts)'
  )
  t.same(again.json(), rotated.json())

  const accessAsRefresh = await app.inject({
    method: 'POST',
    url: '/api/token/refresh/',
    payload: { refresh: rotated.json().access }
  })
  t.equal(accessAsRefresh.statusCode, 401)
  const refreshAsAccess = await app.inject({
    method: 'GET',
    url: '/api/users/me/',
    headers: bearer(rotated.json().refresh)
  })
  t.equal(refreshAsAccess.statusCode, 401)
  t.same(refreshAsAccess.json(), { detail: '유효하지 않은 토큰입니다', code: 'token_not_valid' })

  const me = await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(rotated.json().access) })
  t.equal(me.statusCode, 200)
  t.equal(me.json().uuid, member.uuid)

  const logout = await app.inject({ method: 'POST', url: '/api/logout/', payload: { refresh: rotated.json().refresh } })
  t.equal(logout.statusCode, 200)
  t.same(logout.json(), { detail: 'Successfully logged out.' })
  const afterLogout = await app.inject({
    method: 'POST',
    url: '/api/token/refresh/',
    payload: { refresh: rotated.json().refresh }
  })
  t.equal(afterLogout.statusCode, 401)
  t.equal(
    (await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(rotated.json().access) })).statusCode,
    200,
    'the access token lives on (seed 1)'
  )
  t.equal((await app.inject({ method: 'POST', url: '/api/logout/', payload: { refresh: 'garbage' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/api/logout/', payload: {} })).statusCode, 400)
})

t.test('logout takes the refresh token as a Bearer header with no body', async (t) => {
  const { app } = await buildTestApp(t)
  const member = await approvedMember(app)
  const other = await approvedMember(app)

  // No body and no content type; then an empty body with the JSON content type mobile clients send.
  const bare = await app.inject({ method: 'POST', url: '/api/logout/', headers: bearer(member.refresh) })
  t.equal(bare.statusCode, 200)
  t.same(bare.json(), { detail: 'Successfully logged out.' })
  const emptyJson = await app.inject({
    method: 'POST',
    url: '/api/logout/',
    headers: { ...bearer(other.refresh), 'content-type': 'application/json' },
    body: ''
  })
  t.equal(emptyJson.statusCode, 200)
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: other.refresh } })).statusCode,
    401,
    'the header token is blacklisted'
  )

  const accessInHeader = await app.inject({ method: 'POST', url: '/api/logout/', headers: bearer(member.access) })
  t.equal(accessInHeader.statusCode, 401, 'an access token is not a refresh token')
  t.equal(accessInHeader.json().code, 'token_not_valid')
  const nothing = await app.inject({
    method: 'POST',
    url: '/api/logout/',
    headers: { 'content-type': 'application/json' },
    body: ''
  })
  t.equal(nothing.statusCode, 400)
  t.same(Object.keys(nothing.json()), ['refresh'], 'a field error on refresh')
})

t.test('one identity: tokens of each door work on the other', async (t) => {
  const { app } = await buildTestApp(t)
  const member = await approvedMember(app)
  const onEmailDoor = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(member.access) })
  t.equal(onEmailDoor.statusCode, 200)
  t.equal(onEmailDoor.json().uuid, member.uuid)
  t.equal(onEmailDoor.json().mobile, '+82' + member.mobile.slice(1))
  const { token } = await registerAndLogin(app)
  const onPhoneDoor = await app.inject({ method: 'GET', url: '/api/users/me/', headers: bearer(token) })
  t.equal(onPhoneDoor.statusCode, 200)
  t.equal(onPhoneDoor.json().status, 'approved')
  t.equal(onPhoneDoor.json().username, null)
})

t.test('admin routes', async (t) => {
  const { app } = await buildTestApp(t)
  const signups: string[] = []
  for (let i = 0; i < 3; i++) {
    signups.push(
      (await app.inject({ method: 'POST', url: '/api/registration/', payload: registration() })).json().user.uuid
    )
  }

  t.test('need the admin key', async (t) => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
      const res = await app.inject({ method: 'GET', url: '/admin/users', headers })
      t.equal(res.statusCode, 403)
      t.equal(res.json().code, 'permission_denied')
    }
  })

  t.test('list pending members with paging', async (t) => {
    const page = await app.inject({
      method: 'GET',
      url: '/admin/users?status=pending&page=1&page_size=2',
      headers: admin
    })
    t.equal(page.statusCode, 200)
    t.equal(page.json().count, 3)
    t.equal(page.json().results.length, 2)
    t.same(page.json().results.map((member: { uuid: string }) => member.uuid), [signups[2], signups[1]], 'newest first')
    const bad = await app.inject({ method: 'GET', url: '/admin/users?status=sleeping', headers: admin })
    t.equal(bad.statusCode, 400)
    // As docs/api.md says: up to 999 is taken and served as pages of 100; 0 and four digits are refused.
    const large = await app.inject({ method: 'GET', url: '/admin/users?page_size=999', headers: admin })
    t.same([large.statusCode, large.json().page_size], [200, 100])
    for (const size of ['0', '1000']) {
      const refused = await app.inject({ method: 'GET', url: `/admin/users?page_size=${size}`, headers: admin })
      t.equal(refused.statusCode, 400, `page_size=${size}`)
    }
  })

  t.test('show one: the whole record, mobile in E.164', async (t) => {
    const res = await app.inject({ method: 'GET', url: `/admin/users/${signups[0]}`, headers: admin })
    t.equal(res.statusCode, 200)
    t.match(res.json().mobile, /^\+8210\d{8}$/)
    t.equal(res.json().unique_key, 'asdfi23jadsf92')
    t.same(res.json().verification_files, [], 'signed links to files: see uploads.test.ts')
    t.notOk('password_hash' in res.json())
    t.equal(
      (await app.inject({ method: 'GET', url: '/admin/users/CLS9fByfifGwPy5YQWTQon', headers: admin })).statusCode,
      404
    )
    t.equal((await app.inject({ method: 'GET', url: '/admin/users/bogus', headers: admin })).statusCode, 404)
  })

  t.test('approve and reject with a reason', async (t) => {
    const approved = await app.inject({ method: 'POST', url: `/admin/users/${signups[0]}/approve`, headers: admin })
    t.equal(approved.json().status, 'approved')
    const rejected = await app.inject({
      method: 'POST',
      url: `/admin/users/${signups[1]}/reject`,
      headers: admin,
      payload: { reason: '신분증 불일치' }
    })
    t.equal(rejected.json().status, 'rejected')
    t.equal(rejected.json().rejection_reason, '신분증 불일치')
  })

  t.test('admins grow the catalogs', async (t) => {
    const added = await app.inject({
      method: 'POST',
      url: '/admin/interests',
      headers: admin,
      payload: { name: '서핑', emoji: '🏄' }
    })
    t.equal(added.statusCode, 201)
    const list = await app.inject({ method: 'GET', url: '/api/interests/' })
    t.ok(list.json().some((item: { name: string }) => item.name === '서핑'))
    const dup = await app.inject({
      method: 'POST',
      url: '/admin/interests',
      headers: admin,
      payload: { name: '서핑', emoji: '🏄' }
    })
    t.equal(dup.statusCode, 400)
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/admin/professions',
          headers: admin,
          payload: { name: '셰프', emoji: '👨‍🍳' }
        })
      ).statusCode,
      201
    )
  })
})
