import t from 'tap'
import { admin, freshMobile, registration } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'
import { ADMIN_KEY } from '../helpers/build-test-app.js'

t.test('phone door on PostgreSQL + Redis', { skip: noPg || noRedis }, async (t) => {
  const { call, logs } = await startServiceOnPostgresAndRedis(t, {
    ADMIN_API_KEY: ADMIN_KEY,
    SMS_TEST_OTP: '+821099990000=654321'
  })
  /** The embedded SMS sender writes the text to the log; read the code from there. */
  const codeSentTo = (e164: string): string => {
    const line = logs.lines
      .map(text => JSON.parse(text))
      .findLast(entry => entry.msg === 'sms.sent' && entry.to === e164)
    return /\d{6}/.exec(line?.text ?? '')?.[0] ?? ''
  }

  t.test(
    'register -> 406 pending -> approve -> code -> verify -> refresh -> same pair again -> logout -> refused',
    async t => {
      const body = registration()
      const e164 = '+82' + body.mobile.slice(1)
      const signup = await call('POST', '/api/registration/', { body })
      t.equal(signup.status, 201)
      t.equal(signup.body.user.status, 'pending')
      t.same(
        signup.body.user.interests.map((item: { name: string }) => item.name),
        ['골프', '테니스'],
        'starter catalog from the migration'
      )

      const pending = await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })
      t.equal(pending.status, 406)
      t.same(pending.body, { detail: '승인 대기중인 회원입니다.', code: '1006' })

      const approved = await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })
      t.equal(approved.status, 200)

      t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
      const code = codeSentTo(e164)
      t.match(code, /^\d{6}$/)
      const session = await call('POST', '/api/token/', { body: { mobile: e164, token: code } })
      t.equal(session.status, 200)
      t.equal(session.body.user.status, 'approved')

      const rotated = await call('POST', '/api/token/refresh/', { body: { refresh: session.body.refresh } })
      t.equal(rotated.status, 200)
      const concurrent = await call('POST', '/api/token/refresh/', { body: { refresh: session.body.refresh } })
      t.same(concurrent.body, rotated.body, 'inside the reuse grace the spent token answers its successor')
      t.equal((await call('GET', '/api/users/me/', { token: rotated.body.access })).body.uuid, signup.body.user.uuid)
      t.equal((await call('POST', '/api/logout/', { body: { refresh: rotated.body.refresh } })).status, 200)
      const refused = await call('POST', '/api/token/refresh/', { body: { refresh: rotated.body.refresh } })
      t.equal(refused.status, 401)
      t.equal(refused.body.code, 'token_not_valid')
      t.equal((await call('GET', '/auth/me', { token: rotated.body.access })).status, 200, 'one identity across doors')
    }
  )

  t.test('the same code verified by 20 parallel requests succeeds once', async (t) => {
    const body = registration()
    const signup = await call('POST', '/api/registration/', { body })
    await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })
    await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })
    const code = codeSentTo('+82' + body.mobile.slice(1))
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', '/api/token/', { body: { mobile: body.mobile, token: code } }))
    )
    t.equal(results.filter((res) => res.status === 200).length, 1)
    t.ok(results.filter(res => res.status !== 200).every(res => res.status === 401 && res.body.code === 'otp_expired'))
  })

  t.test('two registrations with the same username at once: one wins', async (t) => {
    const username = `동시${freshMobile()}`
    const results = await Promise.all([
      call('POST', '/api/registration/', { body: registration({ username }) }),
      call('POST', '/api/registration/', { body: registration({ username }) })
    ])
    t.same(results.map((res) => res.status).sort(), [201, 400])
    t.same(results.find((res) => res.status === 400)?.body, { username: ['해당 사용자 이름은 이미 존재합니다.'] })
  })

  t.test('two registrations with one mobile number typed two ways at once: one wins', async (t) => {
    const local = freshMobile()
    const international = `+82 ${local.slice(1, 3)}-${local.slice(3, 7)}-${local.slice(7)}`
    const results = await Promise.all(
      [local, international].map(mobile => call('POST', '/api/registration/', { body: registration({ mobile }) }))
    )
    t.same(results.map((res) => res.status).sort(), [201, 400])
    t.same(results.find((res) => res.status === 400)?.body, { mobile: ['이미 가입된 휴대폰 번호입니다.'] })
  })

  t.test('a test number logs in with its fixed code and sends nothing', async (t) => {
    const body = registration({ mobile: '010-9999-0000' })
    const signup = await call('POST', '/api/registration/', { body })
    await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })
    t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
    t.equal(codeSentTo('+821099990000'), '')
    t.equal((await call('POST', '/api/token/', { body: { mobile: '+821099990000', token: '654321' } })).status, 200)
  })
})
