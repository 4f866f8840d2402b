import type { Language } from '../../domain/language.js'
import type { MailContent, MemberTexts, UndoNotice } from '../ports/outbound/member-texts.js'

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

const MOBILE_CHANGED_SMS: Record<Language, (lastDigits: string, undo: UndoNotice) => string> = {
  ko: (lastDigits, { code, validDays }) =>
    `[알림] 회원님 계정의 휴대폰 번호가 끝자리 ${lastDigits} 번호로 변경되었습니다. 본인이 변경하지 않았다면 ${validDays}일 안에 앱에 되돌리기 코드 ${code} 를 입력해주세요. ` +
      '이 번호로 돌아오고 모든 기기에서 로그아웃됩니다.',
  en: (lastDigits, { code, validDays }) =>
    `[Notice] Your account's mobile number was changed to a number ending in ${lastDigits}. If you did not make this ` +
      `change, enter the undo code ${code} in the app within ${validDays} days: this number comes back and every ` +
      'device is signed out.'
}

const MOBILE_CHANGED_BY_STAFF_SMS: Record<Language, (lastDigits: string) => string> = {
  ko: lastDigits =>
    `[알림] 고객센터에서 본인 확인 후 회원님 계정의 휴대폰 번호를 끝자리 ${lastDigits} 번호로 변경했습니다. ` +
      '이 번호로는 더 이상 로그인할 수 없으며 모든 기기에서 로그아웃되었습니다. ' +
      '요청하지 않으셨다면 고객센터에 알려주세요.',
  en: lastDigits =>
    '[Notice] After checking your identity, support changed your account\'s mobile number to one ending in ' +
      `${lastDigits}. This number no longer signs you in, and every device was signed out. ` +
      'If you did not ask for this, contact support.'
}

/**
 * A mail as paragraphs, the code (if any) alone between `before` and `after`, so it reads and
 * copies at a glance; text and HTML are both rendered from it, so they never say different things.
 */
interface MailWords { subject: string, before: string[], code?: string, after: string[] }

const PASSWORD_RESET_MAIL: Record<Language, (code: string, minutes: number) => MailWords> = {
  ko: (code, minutes) => ({
    subject: '[인증번호] 비밀번호 재설정',
    before: ['비밀번호 재설정 인증번호입니다. 앱에 입력해주세요.'],
    code,
    after: [
      `${minutes}분 동안 유효합니다.`,
      '비밀번호 재설정을 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다. 비밀번호는 바뀌지 않습니다.'
    ]
  }),
  en: (code, minutes) => ({
    subject: 'Your password reset code',
    before: ['Here is the code to reset your password. Enter it in the app.'],
    code,
    after: [
      `It is valid for ${minutes} minutes.`,
      'If you did not ask to reset your password, you can ignore this email: your password stays as it is.'
    ]
  })
}

const EMAIL_VERIFICATION_MAIL: Record<Language, (code: string, minutes: number) => MailWords> = {
  ko: (code, minutes) => ({
    subject: '[인증번호] 이메일 주소 확인',
    before: ['이메일 주소 확인 인증번호입니다. 앱에 입력해주세요.'],
    code,
    after: [`${minutes}분 동안 유효합니다.`, '요청하지 않으셨다면 이 메일을 무시하셔도 됩니다.']
  }),
  en: (code, minutes) => ({
    subject: 'Confirm your email address',
    before: ['Here is the code to confirm this email address. Enter it in the app.'],
    code,
    after: [`It is valid for ${minutes} minutes.`, 'If you did not ask for it, you can ignore this email.']
  })
}

const EMAIL_CHANGED_MAIL: Record<Language, (maskedEmail: string, undo: UndoNotice) => MailWords> = {
  ko: (maskedEmail, { code, validDays }) => ({
    subject: '로그인 이메일이 변경되었습니다',
    before: [
      `회원님 계정의 로그인 이메일이 ${maskedEmail}(으)로 변경되었습니다. 이 주소로는 더 이상 로그인할 수 없습니다.`,
      '본인이 변경하지 않았다면 아래 되돌리기 코드를 앱에 입력해주세요. 이 주소가 다시 로그인 이메일이 되고 모든 기기에서 로그아웃됩니다.'
    ],
    code,
    after: [
      `${validDays}일 동안 한 번 사용할 수 있습니다.`,
      '본인이 변경했다면 이 메일을 무시하셔도 됩니다. 도움이 필요하면 고객센터에 알려주세요.'
    ]
  }),
  en: (maskedEmail, { code, validDays }) => ({
    subject: 'Your sign-in email was changed',
    before: [
      `The sign-in email of your account was changed to ${maskedEmail}. This address no longer signs you in.`,
      'If you did not make this change, enter the undo code below in the app: this address becomes your sign-in ' +
        'email again and every device is signed out.'
    ],
    code,
    after: [
      `The code works once, for ${validDays} days.`,
      'If you made the change yourself, you can ignore this email. If you need help, contact support.'
    ]
  })
}

const BODY_STYLE =
  "font-family:-apple-system,BlinkMacSystemFont,'Apple SD Gothic Neo','Malgun Gothic',sans-serif;" +
  'font-size:16px;line-height:1.6;color:#222'
const CODE_STYLE = 'font-size:28px;font-weight:bold;letter-spacing:6px'

/** Every value that reaches the HTML goes through here: an address may hold <, & or quotes. */
function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function renderMail (language: Language, { subject, before, code, after }: MailWords): MailContent {
  const codeParagraphs = code === undefined ? [] : [code]
  const html = [
    ...before.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...codeParagraphs.map((paragraph) => `<p style="${CODE_STYLE}">${escapeHtml(paragraph)}</p>`),
    ...after.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
  ]
  return {
    subject,
    text: [...before, ...codeParagraphs, ...after].join('\n\n'),
    html:
      `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8">` +
      `<title>${escapeHtml(subject)}</title></head><body style="${BODY_STYLE}">${html.join('')}</body></html>`
  }
}

const SIGN_IN_METHODS_REMOVED_MAIL: Record<
  Language,
  (removed: { mobile: string | null, pendingEmail: string | null }) => MailWords
> = {
  ko: ({ mobile, pendingEmail }) => ({
    subject: '계정에서 로그인 수단이 삭제되었습니다',
    before: [
      '비밀번호 재설정으로 이 이메일 주소가 회원님의 것임이 확인되었습니다. 확인 전에 계정에 추가된 로그인 수단을 삭제하고 모든 기기에서 로그아웃했습니다.',
      ...(mobile === null ? [] : [`삭제된 휴대폰 번호: 끝자리 ${mobile}`]),
      ...(pendingEmail === null ? [] : [`취소된 이메일 변경: ${pendingEmail}`])
    ],
    after: ['직접 추가한 번호라면 다시 로그인한 뒤 추가해주세요.']
  }),
  en: ({ mobile, pendingEmail }) => ({
    subject: 'Sign-in methods were removed from your account',
    before: [
      'A password reset proved this address is yours. Every way to sign in that was added to the account before that ' +
        'proof has been removed, and every device signed out.',
      ...(mobile === null ? [] : [`Mobile number removed: ending in ${mobile}`]),
      ...(pendingEmail === null ? [] : [`Email change cancelled: ${pendingEmail}`])
    ],
    after: ['If you added the number yourself, sign in again and add it back.']
  })
}

/**
 * `n***@example.com`: enough for the member to recognise the address, not enough to hand it to whoever reads the old
 * mailbox.
 */
function maskEmail (email: string): string {
  const at = email.lastIndexOf('@')
  // By code point, so a Korean local part shows a whole character, never half a surrogate pair.
  const [first = ''] = [...email.slice(0, at)]
  return `${first}***${email.slice(at)}`
}

export const memberTexts: MemberTexts = {
  otpSms: (language, code, validMinutes) => OTP_SMS[language](code, validMinutes),
  statusPush: (language, status) => ({ ...STATUS_PUSH[status][language], data: { type: 'member_status', status } }),
  passwordResetMail: (language, code, validMinutes) =>
    renderMail(language, PASSWORD_RESET_MAIL[language](code, validMinutes)),
  emailVerificationMail: (language, code, validMinutes) =>
    renderMail(language, EMAIL_VERIFICATION_MAIL[language](code, validMinutes)),
  emailChangedMail: (language, newEmail, undo) =>
    renderMail(language, EMAIL_CHANGED_MAIL[language](maskEmail(newEmail), undo)),
  mobileChangedSms: (language, newMobile, undo) => MOBILE_CHANGED_SMS[language](newMobile.slice(-4), undo),
  mobileChangedByStaffSms: (language, newMobile) => MOBILE_CHANGED_BY_STAFF_SMS[language](newMobile.slice(-4)),
  signInMethodsRemovedMail: (language, { mobile, pendingEmail }) =>
    renderMail(
      language,
      SIGN_IN_METHODS_REMOVED_MAIL[language]({
        mobile: mobile?.slice(-4) ?? null,
        pendingEmail: pendingEmail === null ? null : maskEmail(pendingEmail)
      })
    )
}
