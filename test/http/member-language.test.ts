import t from 'tap'
import type { PhoneNumber } from '../../src/domain/user.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { admin, registration } from '../helpers/phone-flows.js'

const ENGLISH = { 'accept-language': 'en-GB,en;q=0.9,ko;q=0.5' }
const KOREAN = { 'accept-language': 'ko-KR' }
const e164 = (national: string) => ('+82' + national.slice(1)) as PhoneNumber

type App = Awaited<ReturnType<typeof buildTestApp>>

async function signUp ({ app }: App, headers: Record<string, string>) {
  const body = registration()
  const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body, headers })
  t.equal(res.statusCode, 201)
  const uuid = res.json().user.uuid as string
  await app.inject({
    method: 'PUT',
    url: '/auth/fcm-token',
    headers: { authorization: `Bearer ${res.json().access}` },
    payload: { fcm_token: `device-${uuid}` }
  })
  return { mobile: body.mobile, uuid, device: `device-${uuid}` }
}

async function textOf ({ app, ports }: App, mobile: string, headers: Record<string, string> = {}) {
  ports.clock.advance(61_000) // past the resend cooldown of an earlier code
  const res = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile }, headers })
  t.equal(res.statusCode, 200)
  return ports.sms.sent.findLast((text) => text.to === e164(mobile))!.body
}

t.test('the review push and the code SMS are in the language the member signed up in', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const english = await signUp(built, ENGLISH)
  const korean = await signUp(built, KOREAN)
  const silent = await signUp(built, {})

  for (const member of [english, korean, silent]) {
    t.equal(
      (await app.inject({ method: 'POST', url: `/admin/users/${member.uuid}/approve`, headers: admin })).statusCode,
      200
    )
  }
  t.same(ports.push.messagesTo(english.device)[0], {
    title: 'Sign-up approved',
    body: 'Your membership has been approved. You can log in now.',
    data: { type: 'member_status', status: 'approved' }
  })
  t.equal(ports.push.messagesTo(korean.device)[0]?.title, '가입 승인')
  t.equal(ports.push.messagesTo(silent.device)[0]?.title, '가입 승인', 'no Accept-Language: Korean, the apps\' language')

  const code = (body: string) => /\d{6}/.exec(body)?.[0]
  const englishText = await textOf(built, english.mobile)
  t.match(englishText, /^\[Verification code\] \d{6}\. Enter it in the app \(valid for 3 min\)\.$/)
  t.match(
    await textOf(built, korean.mobile, ENGLISH),
    /^\[인증번호\] \d{6} 를 입력해주세요\. \(3분간 유효\)$/,
    'asking for a code records nothing'
  )
  t.equal(code(englishText), ports.sms.lastCodeSentTo(e164(english.mobile)))

  await app.inject({
    method: 'POST',
    url: `/admin/users/${english.uuid}/reject`,
    headers: admin,
    payload: { reason: 'blurred photo' }
  })
  t.equal(ports.push.messagesTo(english.device)[1]?.title, 'Sign-up not approved')
})

t.test('a sign-in records the language its app asks in; a silent one keeps what is on file', async (t) => {
  const built = await buildTestApp(t)
  const { app, ports } = built
  const member = await signUp(built, KOREAN)
  await app.inject({ method: 'POST', url: `/admin/users/${member.uuid}/approve`, headers: admin })

  const signIn = async (headers: Record<string, string>) => {
    await textOf(built, member.mobile)
    const token = ports.sms.lastCodeSentTo(e164(member.mobile))!
    const res = await app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { mobile: member.mobile, token },
      headers
    })
    t.equal(res.statusCode, 200)
  }
  await signIn(ENGLISH)
  t.equal((await ports.accounts.findByMobile(e164(member.mobile)))?.language, 'en')
  t.match(await textOf(built, member.mobile), /^\[Verification code\]/)
  await signIn({})
  t.equal((await ports.accounts.findByMobile(e164(member.mobile)))?.language, 'en', 'no header: unchanged')
  await signIn({ 'accept-language': 'fr-FR' })
  t.equal(
    (await ports.accounts.findByMobile(e164(member.mobile)))?.language,
    'en',
    'a language we do not write: unchanged'
  )
  await signIn(KOREAN)
  t.match(await textOf(built, member.mobile), /^\[인증번호\]/)

  const email = 'lang@example.com'
  await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password: 'correct horse battery' },
    headers: ENGLISH
  })
  t.equal((await ports.accounts.findByEmail(email))?.language, 'en', 'the email door records it at sign-up')
  const login = await app.inject({
    method: 'POST',
    url: '/auth/login/json',
    payload: { email, password: 'correct horse battery' },
    headers: KOREAN
  })
  t.equal(login.statusCode, 200)
  t.equal((await ports.accounts.findByEmail(email))?.language, 'ko', 'and at sign-in')
})
