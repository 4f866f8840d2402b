import type { PushSender } from '../../application/ports/outbound/push-sender.js'

export interface PushSentEvent { event: 'push.sent', devices: number, title: string, data: Record<string, string> }

/**
 * The embedded default when no push vendor is configured: says that a notification went out and
 * to how many devices. The device tokens stay out of the log, because anyone holding one can push
 * to that device; the body stays out too, as it may quote personal text.
 */
export function createLogPushSender (write: (event: PushSentEvent) => void): PushSender {
  return {
    async send (tokens, message) {
      // Counted as FCM would send them: duplicates once.
      const devices = new Set(tokens).size
      if (devices > 0) write({ event: 'push.sent', devices, title: message.title, data: { ...message.data } })
      return { delivered: devices, deadTokens: [], failedTokens: [] }
    }
  }
}
