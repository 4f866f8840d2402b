import type { Language } from '../../../../domain/language.js'

// What every page's frame says besides its content (layout.tsx): the skip link, the language
// switch and the keyboard help, Korean and English, beside console-texts.ts.
const KO = {
  skipToContent: '본문으로 건너뛰기',
  language: '언어',
  /** Each language's name in itself, so a reader finds their own whatever the page's language. */
  languageNames: { ko: '한국어', en: 'English' } as Record<Language, string>,
  shortcuts: '키보드 단축키',
  shortcutList: [
    ['a', '승인'],
    ['r', '거절 사유 입력으로 이동 (입력 후 Ctrl+Enter로 거절)'],
    ['n', '다음 대기 회원'],
    ['Esc', '입력란에서 나가기 (단축키는 입력란 밖에서만 작동)'],
    ['?', '이 도움말 열기']
  ] as Array<[string, string]>
}

export type ChromeTexts = typeof KO

const EN: ChromeTexts = {
  skipToContent: 'Skip to content',
  language: 'Language',
  languageNames: { ko: '한국어', en: 'English' },
  shortcuts: 'Keyboard shortcuts',
  shortcutList: [
    ['a', 'Approve'],
    ['r', 'Go to the rejection reason (then Ctrl+Enter rejects)'],
    ['n', 'Next pending member'],
    ['Esc', 'Leave the field (shortcuts work outside fields only)'],
    ['?', 'Open this help']
  ]
}

export const CHROME_TEXTS: Record<Language, ChromeTexts> = { ko: KO, en: EN }
