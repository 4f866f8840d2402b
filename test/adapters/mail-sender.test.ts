import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { domainToASCII } from 'node:url'
import { inspect } from 'node:util'
import type { AddressObject } from 'mailparser'
import t, { type Test } from 'tap'
import { createMemoryMailSender } from '../fakes/memory-mail-sender.js'
import { createSmtpMailSender, type SmtpMailOptions } from '../../src/adapters/smtp/smtp-mail-sender.js'
import { createLogMailSender, type EmailSentEvent } from '../../src/adapters/system/log-mail-sender.js'
import type { MailMessage } from '../../src/application/ports/outbound/mail-sender.js'
import { MailUnavailableError } from '../../src/domain/errors.js'
import { mailMessage, mailSenderContract, type DeliveredMail } from '../contracts/mail-sender.contract.js'
import { freePort } from '../helpers/free-port.js'
import { startTestSmtpServer, type ReceivedMail, type TestSmtpOptions } from '../helpers/test-smtp-server.js'

const FROM_ADDRESS = 'no-reply@auth.test'
const FROM = `회원 인증 <${FROM_ADDRESS}>`
const USER = 'mailer@auth.test'
// Every character a URL would otherwise take for structure: it must arrive percent-decoded.
const PASSWORD = 'p@ss:w/rd%?#-that-must-stay-secret'

const smtpSender = (url: string, overrides: Partial<SmtpMailOptions> = {}) =>
  createSmtpMailSender({ url, from: FROM, timeoutMs: 2000, ...overrides })

const firstAddress = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field[0] : field)?.value[0]

/** One mailbox, one spelling: an IDN domain in its ASCII form (nodemailer may hand it on in Unicode over SMTPUTF8). */
const asciiAddress = (address: string): string => {
  const at = address.lastIndexOf('@')
  return address.slice(0, at + 1) + domainToASCII(address.slice(at + 1))
}

/**
 * The mailbox the server delivers to (the envelope), and what a mail client shows: the parsed
 * parts, line ends as LF, no trailing line break added by the encoding.
 */
const asDelivered = (mail: ReceivedMail): DeliveredMail => ({
  to: mail.envelope.to.map(asciiAddress).join(', '),
  subject: mail.parsed.subject ?? '',
  text: (mail.parsed.text ?? '').replace(/\r\n/g, '\n').trimEnd(),
  html: typeof mail.parsed.html === 'string' ? mail.parsed.html.trimEnd() : ''
})

async function smtpFixture (t: Test, options: TestSmtpOptions = {}) {
  const server = await startTestSmtpServer(t, options)
  return {
    sender: smtpSender(server.url),
    delivered: async () => server.received.map(asDelivered),
    outage: () => server.close()
  }
}

t.test('smtp, no authentication', async (t) => mailSenderContract(t, { farSideCanFail: true }, (t) => smtpFixture(t)))
t.test('smtp, with user and password', async (t) =>
  mailSenderContract(t, { farSideCanFail: true }, (t) => smtpFixture(t, { auth: { user: USER, pass: PASSWORD } })))

t.test('log', async (t) => mailSenderContract(t, { farSideCanFail: false }, async () => {
  const events: EmailSentEvent[] = []
  return {
    sender: createLogMailSender((event) => events.push(event)),
    delivered: async () => events.map(({ to, subject, text }) => ({ to, subject, text, html: null }))
  }
}))

t.test('memory', async (t) => mailSenderContract(t, { farSideCanFail: true }, async () => {
  const sender = createMemoryMailSender()
  return {
    sender,
    delivered: async () => sender.sent.map((message) => ({ ...message })),
    outage: async () => { sender.failing = true }
  }
}))

t.test('smtp: the headers, the envelope and both parts as a mail client reads them', async (t) => {
  const server = await startTestSmtpServer(t)
  const message = mailMessage({ subject: '비밀번호 재설정 인증번호' })
  await smtpSender(server.url).send(message)

  const [mail] = server.received as [ReceivedMail]
  t.same(
    mail.envelope,
    { from: FROM_ADDRESS, to: [message.to] },
    'the envelope: MAIL FROM the sender, RCPT TO the member only'
  )
  const { parsed } = mail
  t.same(firstAddress(parsed.from), { address: FROM_ADDRESS, name: '회원 인증' }, 'From, with its Korean display name')
  t.same(firstAddress(parsed.to), { address: message.to, name: '' }, 'To')
  t.equal(parsed.subject, '비밀번호 재설정 인증번호', 'Subject, encoded and decoded back')
  t.ok(parsed.messageId !== undefined && /^<.+@.+>$/.test(parsed.messageId), 'a Message-ID')
  t.ok(parsed.date instanceof Date && Math.abs(parsed.date.getTime() - Date.now()) < 60_000, 'a Date of now')
  t.equal(parsed.headers.get('mime-version'), '1.0')
  t.match(
    parsed.headers.get('content-type'),
    { value: 'multipart/alternative' },
    'text and HTML as alternatives of one message'
  )
  t.notOk(parsed.headers.has('cc') || parsed.headers.has('bcc'), 'no other recipient')
  t.same(parsed.attachments, [], 'no attachment')
  t.equal((parsed.text ?? '').trimEnd(), message.text, 'the text part')
  t.equal(typeof parsed.html === 'string' ? parsed.html.trimEnd() : '', message.html, 'the HTML part')
  // The raw message names the two parts' types and charset, as the server stored them.
  const raw = mail.raw.toString('latin1')
  t.match(raw, /Content-Type: text\/plain; charset=utf-8/i)
  t.match(raw, /Content-Type: text\/html; charset=utf-8/i)
})

t.test('smtp: the user and password of the URL are the ones the server sees', async (t) => {
  const server = await startTestSmtpServer(t, { auth: { user: USER, pass: PASSWORD } })
  await smtpSender(server.url).send(mailMessage())
  t.equal(server.received[0]?.user, USER)
})

/**
 * Rejects with MailUnavailableError; nothing reachable from the error holds the code, the password or its AUTH form.
 */
async function assertUnavailable (t: Test, sending: Promise<void>, mentions: RegExp, message: MailMessage) {
  const code = /\d{6}/.exec(message.text)![0]
  const error = await sending.then(() => null, (error: unknown) => error)
  t.ok(error instanceof MailUnavailableError, 'MailUnavailableError')
  t.match((error as Error).message, mentions)
  const described = inspect(error, { depth: 10, showHidden: true })
  t.notOk(described.includes(code), 'the code is not in the error')
  t.notOk(described.includes(PASSWORD), 'the password is not in the error')
  t.notOk(
    described.includes(Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64')),
    'nor the AUTH PLAIN token'
  )
  t.notOk(described.includes(Buffer.from(PASSWORD).toString('base64')), 'nor the AUTH LOGIN password')
}

t.test('smtp: a wrong password is MailUnavailableError naming the reply code, never the password', async (t) => {
  const server = await startTestSmtpServer(t, { auth: { user: USER, pass: 'the-right-one' } })
  const message = mailMessage()
  const url = `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}`
  await assertUnavailable(t, smtpSender(url).send(message), /reply 535, EAUTH/, message)
  t.same(server.received, [])
})

t.test('smtp: a refused recipient is MailUnavailableError naming the reply code', async (t) => {
  const server = await startTestSmtpServer(t, { refuseRecipients: 550 })
  const message = mailMessage()
  await assertUnavailable(t, smtpSender(server.url).send(message), /reply 550/, message)
  t.same(server.received, [])
})

t.test('smtp: a server that is down is MailUnavailableError at once', async (t) => {
  const port = await freePort()
  const message = mailMessage()
  const started = Date.now()
  await assertUnavailable(
    t,
    smtpSender(`smtp://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`).send(message),
    /unreachable \(ESOCKET, ECONNREFUSED\)/,
    message
  )
  t.ok(Date.now() - started < 2000, 'a refused connection is not waited out')
})

t.test('smtp: a server that accepts the connection and never greets is given up after the timeout', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => { sockets.add(socket) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy()
    silent.close(() => resolve())
  }))
  const { port } = silent.address() as AddressInfo
  const message = mailMessage()
  const started = Date.now()
  await assertUnavailable(
    t,
    smtpSender(`smtp://127.0.0.1:${port}`, { timeoutMs: 300 }).send(message),
    /300 ms|ETIMEDOUT/,
    message
  )
  t.ok(Date.now() - started < 1500, `given up after about 300 ms (${Date.now() - started} ms)`)
})

t.test('smtps: TLS from the first byte, and a certificate nobody vouches for is refused', async (t) => {
  // smtp-server's built-in certificate is self-signed: a client that checks certificates refuses it.
  const server = await startTestSmtpServer(t, { implicitTls: true })
  t.match(server.url, /^smtps:/)
  const message = mailMessage()
  await assertUnavailable(t, smtpSender(server.url).send(message), /unreachable \(.*CERT/, message)
  t.same(server.received, [])
})

t.test('smtp: STARTTLS is taken when offered, and a failed upgrade never falls back to plain text', async (t) => {
  const server = await startTestSmtpServer(t, { offerStartTls: true, auth: { user: USER, pass: PASSWORD } })
  const message = mailMessage()
  await assertUnavailable(t, smtpSender(server.url).send(message), /unreachable \(.*CERT/, message)
  t.same(server.received, [], 'the password and the code never crossed in plain text')
})

t.test('smtp: only smtp:// and smtps:// URLs', async (t) => {
  t.throws(() => smtpSender('http://127.0.0.1:25'))
})
