import type { Language } from '../../../../domain/language.js'
import type { SignInProvider } from '../../../../domain/sign-in-provider.js'

// The words of the member page's "ways to sign in": the number's code, the email and password,
// the identities at Kakao, Apple and Google, and the passkeys.
const KO = {
  title: '로그인 수단',
  basics: '번호와 이메일',
  smsCode: 'SMS 인증번호',
  emailPassword: '이메일과 비밀번호',
  noBasics: '휴대폰 번호도 이메일 비밀번호도 없습니다.',
  identities: '카카오 · Apple · Google',
  noIdentities: '연결된 카카오, Apple, Google 계정이 없습니다.',
  providers: { kakao: '카카오', apple: 'Apple', google: 'Google' } satisfies Record<SignInProvider, string>,
  providerEmail: '제공자 이메일',
  verifiedByProvider: '제공자가 확인함',
  notVerifiedByProvider: '제공자가 확인하지 않음',
  name: '이름',
  linkedAt: '연결 일시',
  lastUsedAt: '마지막 사용',
  passkeys: '패스키',
  noPasskeys: '등록된 패스키가 없습니다.',
  unnamed: '이름 없음',
  credentialId: '자격 증명 ID',
  kind: '종류',
  multiDevice: '여러 기기에 동기화됨',
  singleDevice: '한 기기에만 있음',
  backup: '백업',
  backedUp: '백업됨',
  notBackedUp: '백업 안 됨',
  addedAt: '등록 일시',
  neverUsed: '사용한 적 없음'
}

export type SignInsTexts = typeof KO

const EN: SignInsTexts = {
  title: 'Ways to sign in',
  basics: 'Number and email',
  smsCode: 'SMS code',
  emailPassword: 'Email and password',
  noBasics: 'Neither a mobile number nor an email password.',
  identities: 'Kakao, Apple and Google',
  noIdentities: 'No Kakao, Apple or Google account is linked.',
  providers: { kakao: 'Kakao', apple: 'Apple', google: 'Google' },
  providerEmail: "Provider's email",
  verifiedByProvider: 'verified by the provider',
  notVerifiedByProvider: 'not verified by the provider',
  name: 'Name',
  linkedAt: 'Linked',
  lastUsedAt: 'Last used',
  passkeys: 'Passkeys',
  noPasskeys: 'No passkeys.',
  unnamed: 'unnamed',
  credentialId: 'Credential id',
  kind: 'Kind',
  multiDevice: 'synced across devices',
  singleDevice: 'single device',
  backup: 'Backup',
  backedUp: 'backed up',
  notBackedUp: 'not backed up',
  addedAt: 'Added',
  neverUsed: 'never'
}

export const SIGN_INS_TEXTS: Record<Language, SignInsTexts> = { ko: KO, en: EN }
