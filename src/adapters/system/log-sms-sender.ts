import type { SmsSender } from '../../application/ports/outbound/sms-sender.js'

export interface SmsSentEvent { event: 'sms.sent', to: string, body: string }

/**
 * The embedded default when no SMS vendor is configured: the text, code included, goes to the
 * log so a developer can sign in. Never wire this where real users receive codes.
 */
export function createLogSmsSender (log: (event: SmsSentEvent) => void): SmsSender {
  return {
    async send (to, body) { log({ event: 'sms.sent', to, body }) }
  }
}
