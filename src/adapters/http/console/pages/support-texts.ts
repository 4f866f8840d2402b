import type { Language } from '../../../../domain/language.js'

// The member-support page's words, Korean and English, beside console-texts.ts as its own column pair.
const KO = {
  title: '회원 지원',
  open: '회원 지원(번호 변경, 로그인 기기)',
  back: '회원 페이지로',
  sessions: '로그인한 기기',
  noSessions: '로그인한 기기가 없습니다.',
  device: '기기',
  unknownDevice: '알 수 없는 기기',
  address: 'IP 주소',
  signedInAt: '로그인',
  lastUsedAt: '마지막 사용',
  signOutEverywhere: '모든 기기에서 로그아웃',
  signOutHelp: '회원의 모든 로그인(리프레시 토큰과 액세스 토큰)이 즉시 끝납니다. 감사 기록에 남습니다.',
  changeMobile: '휴대폰 번호 변경',
  changeMobileHelp:
    '회원이 이전 번호를 잃어버렸고 이메일도 없을 때, 신분증으로 본인임을 확인한 뒤에만 변경하세요. ' +
    '이전 번호로 알림 문자가 가고, 모든 기기에서 로그아웃되며, 감사 기록에 남습니다.',
  currentMobile: '현재 번호',
  newMobile: '새 휴대폰 번호',
  newMobileHelp: '예: 010-1234-5678',
  reason: '사유(신분증 확인 내용)',
  submitChange: '번호 변경',
  mobileChanged: '번호를 변경했습니다. 이전 번호로 알림 문자를 보냈고 모든 기기에서 로그아웃했습니다.',
  mobileChangedUntold: '번호를 변경했고 모든 기기에서 로그아웃했습니다. 이전 번호로 알림 문자를 보내지 못했습니다.',
  signedOut: '모든 기기에서 로그아웃했습니다.',
  errors: {
    reason: '사유를 입력하세요.',
    invalid_phone: '올바른 휴대폰 번호를 입력하세요.',
    not_mobile: '문자를 받을 수 없는 번호입니다.',
    region_not_allowed: '허용되지 않은 국가의 번호입니다.',
    mobile_taken: '다른 회원이 사용 중인 번호입니다.',
    same: '현재 번호와 같습니다.'
  }
}

export type SupportTexts = typeof KO

const EN: SupportTexts = {
  title: 'Member support',
  open: 'Member support (number change, signed-in devices)',
  back: 'Back to the member',
  sessions: 'Signed-in devices',
  noSessions: 'No signed-in devices.',
  device: 'Device',
  unknownDevice: 'Unknown device',
  address: 'IP address',
  signedInAt: 'Signed in',
  lastUsedAt: 'Last used',
  signOutEverywhere: 'Sign out everywhere',
  signOutHelp: 'Every sign-in of the member ends now (refresh and access tokens). It is recorded in the audit trail.',
  changeMobile: 'Change mobile number',
  changeMobileHelp:
    'Only when the member lost their old number and has no email, and only after checking their ID document. ' +
    'The old number is told by SMS, every device is signed out, and the audit trail records it.',
  currentMobile: 'Current number',
  newMobile: 'New mobile number',
  newMobileHelp: 'For example 010-1234-5678',
  reason: 'Reason (what was checked)',
  submitChange: 'Change number',
  mobileChanged: 'Number changed. The old number was told by SMS and every device signed out.',
  mobileChangedUntold: 'Number changed and every device signed out. The SMS to the old number could not be sent.',
  signedOut: 'Signed out on every device.',
  errors: {
    reason: 'Please give a reason.',
    invalid_phone: 'Enter a valid mobile number.',
    not_mobile: 'This number cannot receive text messages.',
    region_not_allowed: 'Numbers from this country are not allowed.',
    mobile_taken: 'Another member uses this number.',
    same: 'This is the current number.'
  }
}

export const SUPPORT_TEXTS: Record<Language, SupportTexts> = { ko: KO, en: EN }
