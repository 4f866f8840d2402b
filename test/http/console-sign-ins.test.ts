import { randomBytes } from 'node:crypto'
import t, { type Test } from 'tap'
import { toShortUuid } from '../../src/domain/short-uuid.js'
import type { NewUser } from '../../src/domain/user.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { memberPasskey, phoneUser, providerIdentity } from '../contracts/user-stores-fixture.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, signInStaff } from '../helpers/console-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

// The member page lists a member's ways to sign in: the number's code, the email and password,
// each identity at Kakao, Apple or Google, and each passkey, never a passkey's public key.

type Built = Awaited<ReturnType<typeof buildTestApp>>

const CATALOG = { interestIds: [CATALOG_STARTER.interests[0]!.id], professionId: CATALOG_STARTER.professions[0]!.id }

async function member ({ ports }: Built, overrides: Partial<NewUser> = {}) {
  const created = await ports.accounts.create({ ...phoneUser(CATALOG), ...overrides })
  return { id: created.id, uuid: toShortUuid(created.id) }
}

async function staffOn (t: Test, built: Built) {
  const staff = await addStaff(built.ports, 'reviewer')
  const { cookie } = await signInStaff(built.app, built.ports, staff)
  return async (url: string, language: 'ko' | 'en') => {
    const headers = { cookie: cookie!, 'accept-language': language }
    const page = await built.app.inject({ method: 'GET', url, headers })
    t.equal(page.statusCode, 200, `${url} in ${language}`)
    return page.body
  }
}

const sectionOf = (html: string): string =>
  /<section class="card sign-ins"[^>]*>.*?<\/section>/s.exec(html)?.[0] ?? ''

const itemOf = (html: string, attribute: string, value: string): string =>
  new RegExp(`<li[^>]*${attribute}="${value}"[^>]*>.*?</li>`, 's').exec(html)?.[0] ?? ''

/** Every way a page could spell the key's bytes. */
const spellings = (bytes: Uint8Array): string[] => {
  const buffer = Buffer.from(bytes)
  return [
    buffer.toString('base64'),
    buffer.toString('base64url'),
    buffer.toString('hex'),
    bytes.join(','),
    // A run long enough that it cannot turn up by chance.
    buffer.toString('base64url').slice(8, 24)
  ]
}

t.test('two identities and a passkey: each with its words and dates, in Korean and English', async t => {
  const built = await buildTestApp(t)
  const email = `both-${uniqueSuffix()}@example.com`
  const { id, uuid } = await member(built, { email, passwordHash: await built.ports.hasher.hash('a password 123') })
  const kakaoEmail = `kakao-${uniqueSuffix()}@kakao.test`
  t.ok(await built.ports.linkedIdentities.link(providerIdentity(id, {
    provider: 'kakao',
    email: kakaoEmail,
    emailVerified: true,
    name: '손흥민',
    linkedAt: new Date('2026-05-01T10:00:00.123Z'),
    lastUsedAt: new Date('2026-05-03T01:30:00.000Z')
  })))
  const googleEmail = `google-${uniqueSuffix()}@gmail.test`
  t.ok(await built.ports.linkedIdentities.link(providerIdentity(id, {
    provider: 'google',
    email: googleEmail,
    emailVerified: false,
    name: null,
    linkedAt: new Date('2026-05-02T10:00:00.000Z'),
    lastUsedAt: new Date('2026-05-02T10:00:00.000Z')
  })))
  const publicKey = new Uint8Array(randomBytes(77))
  const passkey = memberPasskey(id, {
    publicKey,
    credentialId: `${uniqueSuffix()}-credential-abcdefghijklmnop`,
    deviceType: 'multiDevice',
    backedUp: true,
    name: null,
    createdAt: new Date('2026-05-04T03:00:00.000Z'),
    lastUsedAt: null
  })
  t.ok(await built.ports.passkeys.add(passkey))
  const get = await staffOn(t, built)

  const ko = sectionOf(await get(`/console/members/${uuid}`, 'ko'))
  t.match(ko, '로그인 수단')
  t.match(ko, '<li>SMS 인증번호</li>', 'the number signs in by code')
  t.match(ko, '<li>이메일과 비밀번호</li>', 'and the email with its password')
  const kakao = itemOf(ko, 'data-provider', 'kakao')
  t.match(kakao, '<strong>카카오</strong>')
  t.match(kakao, `${kakaoEmail} (제공자가 확인함)`)
  t.match(kakao, '손흥민')
  const google = itemOf(ko, 'data-provider', 'google')
  t.match(google, '<strong>Google</strong>')
  t.match(google, `${googleEmail} (제공자가 확인하지 않음)`)
  t.notMatch(ko, 'data-provider="apple"', 'no identity the member does not hold')
  t.ok(ko.indexOf('data-provider="kakao"') < ko.indexOf('data-provider="google"'), 'oldest link first')
  const key = itemOf(ko, 'data-passkey', passkey.credentialId.slice(0, 8) + '…')
  t.match(key, '<strong>이름 없음</strong>', 'an unnamed passkey says so')
  t.match(key, '여러 기기에 동기화됨')
  t.match(key, '백업됨')
  t.match(key, '사용한 적 없음')
  t.notMatch(ko, passkey.credentialId, 'the credential id only shortened')
  t.notMatch(ko, '없습니다', 'nothing said to be missing')

  const en = sectionOf(await get(`/console/members/${uuid}`, 'en'))
  t.match(en, 'Ways to sign in')
  t.match(en, '<li>SMS code</li>')
  t.match(en, '<li>Email and password</li>')
  const kakaoEn = itemOf(en, 'data-provider', 'kakao')
  t.match(kakaoEn, '<strong>Kakao</strong>')
  t.match(kakaoEn, `${kakaoEmail} (verified by the provider)`)
  t.match(kakaoEn, /Linked<\/dt><dd>1 May 2026, 19:00 KST/, 'linked, as Seoul reads it')
  t.match(kakaoEn, /Last used<\/dt><dd>3 May 2026, 10:30 KST/)
  const googleEn = itemOf(en, 'data-provider', 'google')
  t.match(googleEn, `${googleEmail} (not verified by the provider)`)
  t.match(googleEn, /Name<\/dt><dd>—/, 'no name given')
  const keyEn = itemOf(en, 'data-passkey', passkey.credentialId.slice(0, 8) + '…')
  t.match(keyEn, '<strong>unnamed</strong>')
  t.match(keyEn, 'synced across devices')
  t.match(keyEn, /Backup<\/dt><dd>backed up/)
  t.match(keyEn, /Added<\/dt><dd>4 May 2026, 12:00 KST/)
  t.match(keyEn, /Last used<\/dt><dd>never/)

  for (const language of ['ko', 'en'] as const) {
    const whole = await get(`/console/members/${uuid}`, language)
    for (const spelling of spellings(publicKey)) t.notMatch(whole, spelling, `no public key on the page (${language})`)
  }
})

t.test('a named passkey on one device, not backed up, used once', async t => {
  const built = await buildTestApp(t)
  const { id, uuid } = await member(built)
  const passkey = memberPasskey(id, {
    name: '회사 노트북',
    deviceType: 'singleDevice',
    backedUp: false,
    lastUsedAt: new Date('2026-05-05T00:00:00.000Z')
  })
  t.ok(await built.ports.passkeys.add(passkey))
  const get = await staffOn(t, built)

  const ko = sectionOf(await get(`/console/members/${uuid}`, 'ko'))
  t.match(ko, '<strong>회사 노트북</strong>')
  t.match(ko, '한 기기에만 있음')
  t.match(ko, '백업 안 됨')
  t.notMatch(ko, '여러 기기에 동기화됨')
  t.match(ko, '연결된 카카오, Apple, Google 계정이 없습니다.', 'no identity, said so')
  t.notMatch(ko, '이메일과 비밀번호', 'a phone member has no password')
  const en = sectionOf(await get(`/console/members/${uuid}`, 'en'))
  t.match(en, 'single device')
  t.match(en, /Backup<\/dt><dd>not backed up/)
  t.match(en, /Last used<\/dt><dd>5 May 2026, 09:00 KST/)
  for (const spelling of spellings(passkey.publicKey)) t.notMatch(en, spelling)
})

t.test('a member with neither identities nor passkeys: the page says so in both languages', async t => {
  const built = await buildTestApp(t)
  const { uuid } = await member(built)
  const get = await staffOn(t, built)

  const ko = sectionOf(await get(`/console/members/${uuid}`, 'ko'))
  t.match(ko, '<li>SMS 인증번호</li>')
  t.match(ko, '연결된 카카오, Apple, Google 계정이 없습니다.')
  t.match(ko, '등록된 패스키가 없습니다.')
  t.notMatch(ko, '<li data-', 'no identity or passkey listed')

  const en = sectionOf(await get(`/console/members/${uuid}`, 'en'))
  t.match(en, 'No Kakao, Apple or Google account is linked.')
  t.match(en, 'No passkeys.')
  t.notMatch(en, 'Email and password')
})
