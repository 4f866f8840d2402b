import twilio from 'twilio'
import type { SmsSender } from '../../application/ports/outbound/sms-sender.js'
import { SmsUnavailableError } from '../../domain/errors.js'
import { DeadlineExceeded, withDeadline } from '../system/with-deadline.js'

export interface TwilioSmsOptions {
  accountSid: string
  authToken: string
  /** The sender number; ignored when a messaging service is configured. */
  from: string | null
  /** A messaging service picks the sender from its pool; takes precedence over `from`. */
  messagingServiceSid: string | null
  timeoutMs: number
  /** Replaces twilio's own RequestClient; tests use it to point the SDK at a local server. */
  httpClient?: twilio.RequestClient
}

/**
 * Sends through Twilio's Messages API. Every failure becomes SmsUnavailableError naming only the
 * HTTP status, Twilio error code or network error code: the vendor error is not passed on as a
 * cause, because its request config holds the message body (a one-time code) and the auth header.
 */
export function createTwilioSmsSender (options: TwilioSmsOptions): SmsSender {
  const { accountSid, authToken, from, messagingServiceSid, timeoutMs, httpClient } = options
  const sender = messagingServiceSid !== null ? { messagingServiceSid } : from !== null ? { from } : null
  if (sender === null) throw new Error('twilio needs a sender number or a messaging service sid')
  // Throws now on a malformed account sid, so a bad configuration stops start-up, not the first login.
  const client = twilio(accountSid, authToken, { timeout: timeoutMs, httpClient })

  return {
    async send (to, body) {
      try {
        await withDeadline(client.messages.create({ to, body, ...sender }), timeoutMs)
      } catch (error) {
        throw new SmsUnavailableError(describe(error, timeoutMs))
      }
    }
  }
}

/** Only numbers and error codes: Twilio's own message text and axios' texts are left out. */
function describe (error: unknown, timeoutMs: number): string {
  if (error instanceof DeadlineExceeded) return `twilio did not answer within ${timeoutMs} ms`
  const { status, code } = (error ?? {}) as { status?: unknown, code?: unknown }
  // RestException and TwilioServiceException both carry the HTTP status and Twilio's error code.
  if (typeof status === 'number') {
    return `twilio refused the message (HTTP ${status}${typeof code === 'number' ? `, code ${code}` : ''})`
  }
  const reason =
    typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : error instanceof Error ? error.name : 'unknown'
  return `twilio unreachable (${reason})`
}
