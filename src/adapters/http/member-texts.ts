import type { Language } from '../../domain/language.js'
import type { MemberTexts } from '../../application/ports/member-texts.js'

// Beside the error table: every text a member reads, Korean and English. The SMS keeps the
// Korean form the app's users already know; `data` is the same in both so the app routes a tap alike.
const OTP_SMS: Record<Language, (code: string, minutes: number) => string> = {
  ko: (code, minutes) => `[인증번호] ${code} 를 입력해주세요. (${minutes}분간 유효)`,
  en: (code, minutes) => `[Verification code] ${code}. Enter it in the app (valid for ${minutes} min).`
}

const STATUS_PUSH: Record<'approved' | 'rejected', Record<Language, { title: string, body: string }>> = {
  approved: {
    ko: { title: '가입 승인', body: '회원 가입이 승인되었습니다. 지금 로그인해 보세요.' },
    en: { title: 'Sign-up approved', body: 'Your membership has been approved. You can log in now.' }
  },
  rejected: {
    ko: { title: '가입 거절', body: '회원 가입이 승인되지 않았습니다.' },
    en: { title: 'Sign-up not approved', body: 'Your membership was not approved.' }
  }
}

export const memberTexts: MemberTexts = {
  otpSms: (language, code, validMinutes) => OTP_SMS[language](code, validMinutes),
  statusPush: (language, status) => ({ ...STATUS_PUSH[status][language], data: { type: 'member_status', status } })
}
