import { createTransport } from 'nodemailer'
import type { MailSender } from '../../application/ports/outbound/mail-sender.js'
import { MailUnavailableError } from '../../domain/errors.js'
import { DeadlineExceeded, withDeadline } from '../system/with-deadline.js'

export interface SmtpMailOptions {
  /**
   * `smtp://[user:password@]host[:port]` (port 587 by default; upgraded with STARTTLS whenever the
   * server offers it) or `smtps://…` (TLS from the first byte, port 465 by default). The user and
   * password are percent-decoded, so a password may hold any character.
   */
  url: string
  /** The From header: an address, or `Name <address>`. */
  from: string
  /** Bounds one whole send: connection, greeting, authentication and the message. */
  timeoutMs: number
}

/**
 * Sends through an SMTP relay, one connection per message: mail here is a code or a notice now
 * and then, not a stream, so a pool would only hold idle sockets that relays drop anyway.
 * Every failure becomes MailUnavailableError naming only the SMTP reply code or the error code:
 * nodemailer's errors are not passed on as a cause, since they can hold the server's reply to
 * the message (which may quote it) and the AUTH command with the credentials.
 */
export function createSmtpMailSender (options: SmtpMailOptions): MailSender {
  const { url, from, timeoutMs } = options
  const server = new URL(url)
  if (server.protocol !== 'smtp:' && server.protocol !== 'smtps:') {
    throw new Error('the SMTP URL must be smtp:// or smtps://')
  }
  const secure = server.protocol === 'smtps:'
  const user = decodeURIComponent(server.username)
  const transport = createTransport({
    host: server.hostname.replace(/^\[|\]$/g, ''),
    port: server.port === '' ? (secure ? 465 : 587) : Number(server.port),
    secure,
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(server.password) } }),
    // Each step is bounded by the whole budget; the deadline below bounds their sum.
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    logger: false
  })

  return {
    async send ({ to, subject, text, html }) {
      try {
        await withDeadline(transport.sendMail({
          from,
          to,
          subject,
          text,
          html,
          // The bodies are ours, but nothing in a message may ever make the service read a file or a URL.
          disableFileAccess: true,
          disableUrlAccess: true
        }), timeoutMs)
      } catch (error) {
        throw new MailUnavailableError(describe(error, timeoutMs))
      }
    }
  }
}

/** Only SMTP reply codes and error codes: the server's reply text may quote the message or an address. */
function describe (error: unknown, timeoutMs: number): string {
  if (error instanceof DeadlineExceeded) return `smtp server did not answer within ${timeoutMs} ms`
  const { responseCode, code, originalCode } = (error ?? {}) as {
    responseCode?: unknown
    code?: unknown
    originalCode?: unknown
  }
  // nodemailer's own code (ESOCKET, EAUTH…), then the socket's or TLS's beneath it (ECONNREFUSED, CERT_HAS_EXPIRED…).
  const codes = [code, originalCode].filter(
    (value): value is string => typeof value === 'string' && /^[A-Z0-9_]+$/.test(value)
  )
  if (typeof responseCode === 'number') {
    return `smtp server refused the message (${[`reply ${responseCode}`, ...codes].join(', ')})`
  }
  return 'smtp server unreachable (' +
    `${codes.length > 0 ? codes.join(', ') : error instanceof Error ? error.name : 'unknown'})`
}
