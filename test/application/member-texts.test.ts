import t, { type Test } from 'tap'
import { memberTexts } from '../../src/application/members/member-texts.js'
import type { MailContent } from '../../src/application/ports/outbound/member-texts.js'
import { LANGUAGES } from '../../src/domain/language.js'
import type { PhoneNumber } from '../../src/domain/user.js'

const HANGUL = /[\uac00-\ud7a3]/

/** The visible words of simple HTML: tags dropped, the five entities decoded. */
const visibleText = (html: string): string =>
  html
    .replace(/<title>.*?<\/title>/s, '')
    .replace(/<\/p>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_all, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!
    )
    .trim()

/** Both parts say the same, the HTML is a document in that language, and nothing in it is markup but ours. */
function assertMail (t: Test, mail: MailContent, language: string) {
  t.equal(visibleText(mail.html), mail.text, 'the HTML says what the text says')
  t.match(
    mail.html,
    new RegExp(`^<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8">`),
    "a UTF-8 document in the member's language"
  )
  t.notMatch(mail.html, /<script|<img|<a |href=|src=/i, 'no script, image or link: nothing to load, nothing to click')
  t.notMatch(mail.subject, /[\r\n]/, 'a one-line subject')
  t.equal(HANGUL.test(mail.text), language === 'ko', language === 'ko' ? 'in Korean' : 'in English')
}

t.test('the code mails carry the code on a line of its own and its validity, in both languages', async (t) => {
  for (const language of LANGUAGES) {
    for (const [name, make] of [
      ['passwordResetMail', memberTexts.passwordResetMail],
      ['emailVerificationMail', memberTexts.emailVerificationMail]
    ] as const) {
      const mail = make(language, '048213', 15)
      t.test(`${name} ${language}`, async t => {
        assertMail(t, mail, language)
        t.ok(mail.text.split('\n').includes('048213'), 'the code alone on its line (leading zero kept)')
        t.match(mail.html, />048213<\/p>/)
        t.match(mail.text, language === 'ko' ? '15분' : '15 minutes')
      })
    }
  }
  t.not(
    memberTexts.passwordResetMail('en', '111111', 15).subject,
    memberTexts.emailVerificationMail('en', '111111', 15).subject,
    'two purposes, two subjects'
  )
})

const UNDO = { code: '7KQ2M-9XH4T', validDays: 7 }

t.test('the email-changed notice shows the new address masked and escaped', async (t) => {
  for (const language of LANGUAGES) {
    const mail = memberTexts.emailChangedMail(language, 'new.name@example.com', UNDO)
    assertMail(t, mail, language)
    t.match(mail.text, 'n***@example.com')
    t.notMatch(mail.text, 'new.name', 'not the whole address')
  }
  // RFC 5321 local parts may hold markup characters, and the service accepts them: they must stay text.
  const hostile = memberTexts.emailChangedMail('en', '<b>&"\'@x.example', UNDO)
  t.notMatch(hostile.html, /<b>|&"/, 'never markup')
  t.match(hostile.html, '&lt;***@x.example')
  t.match(
    memberTexts.emailChangedMail('ko', '홍길동@example.com', UNDO).text,
    '홍***@example.com',
    'a whole Korean character, never half of one'
  )
})

t.test('the email-changed notice carries the undo code on a line of its own and how long it works', async (t) => {
  for (const language of LANGUAGES) {
    const mail = memberTexts.emailChangedMail(language, 'new.name@example.com', UNDO)
    t.ok(mail.text.split('\n').includes('7KQ2M-9XH4T'), `${language}: the code alone on its line`)
    t.match(mail.html, />7KQ2M-9XH4T<\/p>/)
    t.match(mail.text, language === 'ko' ? '7일' : '7 days')
    t.match(mail.text, language === 'ko' ? '로그아웃' : 'signed out', 'says what the code does')
  }
})

t.test(
  'the number-changed SMS names only the last four digits of the new number, and carries the undo code',
  async t => {
    for (const language of LANGUAGES) {
      const sms = memberTexts.mobileChangedSms(language, '+821098765432' as PhoneNumber, UNDO)
      t.match(sms, '5432')
      t.notMatch(sms, '98765432')
      t.equal(HANGUL.test(sms), language === 'ko')
      t.match(sms, ' 7KQ2M-9XH4T ', 'the code between spaces, easy to pick out')
      t.match(sms, language === 'ko' ? '7일' : '7 days')
    }
  }
)
