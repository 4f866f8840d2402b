import type { Test } from 'tap'
import type { MailMessage, MailSender } from '../../src/application/ports/outbound/mail-sender.js'
import { MailUnavailableError } from '../../src/domain/errors.js'
import { uniqueSuffix } from '../helpers/services.js'

/**
 * A message as it reached the far side (SMTP server, log, memory); `html` null where the adapter does not carry it (the
 * log).
 */
export interface DeliveredMail { to: string, subject: string, text: string, html: string | null }

/** What the adapter can do, known before any test runs: a check it cannot take is reported as SKIP, with the reason. */
export interface MailSenderCapabilities {
  /** Whether there is a far side that can be down (an SMTP server, the memory sender's switch); the log has none. */
  farSideCanFail: boolean
}

export interface MailSenderFixture {
  sender: MailSender
  /** Everything that reached the far side so far, oldest first. */
  delivered: () => Promise<DeliveredMail[]>
  /** Makes the far side unreachable (the server stops, the memory sender fails); required where `farSideCanFail`. */
  outage?: () => Promise<void>
}

/** An address of this test's own. */
export const mailbox = (): string => `member-${uniqueSuffix()}@example.com`

export const mailMessage = (overrides: Partial<MailMessage> = {}): MailMessage => {
  const code = String(100000 + Math.floor(Math.random() * 900000))
  return {
    to: mailbox(),
    subject: 'Your verification code',
    text: `Your verification code is ${code}.\nIt is valid for 15 minutes.`,
    html: `<p>Your verification code is <strong>${code}</strong>.</p><p>It is valid for 15 minutes.</p>`,
    ...overrides
  }
}

/** What the far side must show for a message: the HTML only where the adapter carries it. */
const expected = (message: MailMessage, delivered: DeliveredMail): DeliveredMail => ({
  to: message.to,
  subject: message.subject,
  text: message.text,
  html: delivered.html === null ? null : message.html
})

/** One contract for every MailSender adapter: SMTP (against a real server), log and memory. */
export function mailSenderContract (
  t: Test, { farSideCanFail }: MailSenderCapabilities, make: (t: Test) => Promise<MailSenderFixture>
): void {
  t.test('a message arrives once, with its address, subject, text and HTML', async (t) => {
    const { sender, delivered } = await make(t)
    const message = mailMessage()
    await sender.send(message)
    const got = await delivered()
    t.equal(got.length, 1)
    t.same(got[0], expected(message, got[0]!))
  })

  t.test('Korean text, long lines and several paragraphs arrive unchanged', async (t) => {
    const { sender, delivered } = await make(t)
    const message = mailMessage({
      subject: '[인증번호] 비밀번호 재설정 인증번호를 알려드립니다 — 요청하지 않으셨다면 이 메일을 무시해주세요',
      text: `비밀번호 재설정 인증번호는 482913 입니다.\n\n${'15분 동안 유효합니다. '.repeat(12)}\n요청하지 않으셨다면 이 메일을 무시해주세요.`,
      html: `<p>비밀번호 재설정 인증번호는 <strong>482913</strong> 입니다.</p><p>${'15분 동안 유효합니다. '.repeat(12)}</p>`
    })
    await sender.send(message)
    const [got] = await delivered()
    t.same(got, expected(message, got!))
  })

  t.test('an address with a tag and an internationalised domain (ASCII form) is used as given', async (t) => {
    const { sender, delivered } = await make(t)
    const message = mailMessage({ to: `member+reset-${uniqueSuffix()}@xn--bcher-kva.de` })
    await sender.send(message)
    t.same((await delivered()).map((mail) => mail.to), [message.to])
  })

  t.test('messages sent at once each arrive once, to their own address', async (t) => {
    const { sender, delivered } = await make(t)
    const messages = Array.from({ length: 5 }, () => mailMessage())
    await Promise.all(messages.map((message) => sender.send(message)))
    const got = await delivered()
    t.equal(got.length, messages.length)
    for (const message of messages) {
      const matching = got.filter((mail) => mail.to === message.to)
      t.equal(matching.length, 1, `one message to ${message.to}`)
      t.equal(matching[0]?.text, message.text, 'with its own text')
    }
  })

  t.test('when the far side is down: MailUnavailableError, and nothing arrives',
    { skip: farSideCanFail ? false : 'this adapter has no far side that can fail' }, async (t) => {
      const { sender, delivered, outage } = await make(t)
      if (outage === undefined) throw new Error('a sender whose far side can fail needs outage() in its fixture')
      await outage()
      const message = mailMessage()
      const error = await sender.send(message).then(() => null, (error: unknown) => error)
      t.ok(error instanceof MailUnavailableError, 'MailUnavailableError')
      t.equal((error as MailUnavailableError).code, 'mail_unavailable')
      t.notMatch((error as Error).message, message.text.match(/\d{6}/)![0], 'the code is not in the error')
      t.same(await delivered(), [])
    })
}
