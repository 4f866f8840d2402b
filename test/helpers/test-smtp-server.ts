import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import type { Test } from 'tap'

/** One message as the server took it: the SMTP envelope, the raw bytes and the parsed MIME. */
export interface ReceivedMail {
  envelope: { from: string, to: string[] }
  raw: Buffer
  parsed: ParsedMail
  /** The user the client authenticated as, or null. */
  user: string | null
}

export interface TestSmtpOptions {
  /** Require AUTH with these credentials (over plain text, as only a test server may allow). */
  auth?: { user: string, pass: string }
  /** TLS from the first byte (smtps) with smtp-server's own self-signed localhost certificate. */
  implicitTls?: boolean
  /** Offer STARTTLS (with that certificate); off by default, so plain smtp:// tests stay plain. */
  offerStartTls?: boolean
  /** Refuse every recipient with this SMTP reply code. */
  refuseRecipients?: number
}

/**
 * A real SMTP server (the `smtp-server` package) on a port the OS picks on 127.0.0.1, for this
 * test only; closed at teardown. Everything it accepts is parsed and kept in `received`.
 */
export async function startTestSmtpServer (t: Test, options: TestSmtpOptions = {}) {
  const received: ReceivedMail[] = []
  const waiters: Array<() => void> = []
  const serverOptions: SMTPServerOptions = {
    logger: false,
    secure: options.implicitTls === true,
    disabledCommands: options.offerStartTls === true || options.implicitTls === true ? [] : ['STARTTLS'],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    onAuth (auth, _session, callback) {
      const expected = options.auth
      if (expected !== undefined && auth.username === expected.user && auth.password === expected.pass) {
        return callback(null, { user: auth.username })
      }
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onRcptTo (_address, _session, callback) {
      if (options.refuseRecipients === undefined) return callback()
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: options.refuseRecipients }))
    },
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then((parsed) => {
          const { mailFrom, rcptTo } = session.envelope
          received.push({
            envelope: { from: mailFrom === false ? '' : mailFrom.address, to: rcptTo.map(rcpt => rcpt.address) },
            raw,
            parsed,
            user: typeof session.user === 'string' ? session.user : null
          })
          for (const wake of waiters.splice(0)) wake()
          callback()
        }, (error: Error) => callback(error))
      })
    }
  }
  const server = new SMTPServer(serverOptions)
  // A client that gives up on a TLS handshake is an event the tests provoke, not a failure of the server.
  const errors: Error[] = []
  server.on('error', (error) => { errors.push(error) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  let closing: Promise<void> | null = null
  const close = async (): Promise<void> => {
    await (closing ??= new Promise<void>(resolve => server.close(() => resolve())))
  }
  t.teardown(close)
  const { port } = server.server.address() as AddressInfo
  const credentials =
    options.auth === undefined
      ? ''
      : `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
  return {
    port,
    /** The SMTP_URL a client uses to reach this server. */
    url: `${options.implicitTls === true ? 'smtps' : 'smtp'}://${credentials}127.0.0.1:${port}`,
    received,
    /** Connection-level errors the server saw (a refused TLS handshake, a dropped socket). */
    errors,
    /** Stops listening (a server that is down); teardown does it anyway. */
    close,
    /** Resolves once `count` messages in all have been received. */
    async waitFor (count: number): Promise<ReceivedMail[]> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve))
      return received
    }
  }
}
