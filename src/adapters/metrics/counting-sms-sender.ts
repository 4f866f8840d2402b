import type { SmsSender } from '../../application/ports/outbound/sms-sender.js'

/**
 * Counts what the wrapped sender actually does. Counted here, not from HTTP statuses: a hidden
 * unknown number (OTP_HIDE_UNKNOWN_NUMBERS) and a fixed test code both answer 200 without a text.
 */
export function countSmsSends (inner: SmsSender, count: (result: 'sent' | 'failed') => void): SmsSender {
  return {
    async send (to, body) {
      try {
        await inner.send(to, body)
      } catch (error) {
        count('failed')
        throw error
      }
      count('sent')
    }
  }
}
