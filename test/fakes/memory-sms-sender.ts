import type { SmsSender } from '../../src/application/ports/outbound/sms-sender.js'
import { SmsUnavailableError } from '../../src/domain/errors.js'

/** A memory SMS sender, with what tests read and switch on it. */
export interface MemorySmsSender extends SmsSender {
  readonly sent: Array<{ to: string, body: string }>
  /** Set to make the next sends fail as a provider outage would. */
  failing: boolean
  lastCodeSentTo (to: string): string | null
}

/** Keeps texts in memory so tests can read the code a member would have received. */
export function createMemorySmsSender (): MemorySmsSender {
  const sent: Array<{ to: string, body: string }> = []
  const sender: MemorySmsSender = {
    sent,
    failing: false,

    async send (to, body) {
      if (sender.failing) throw new SmsUnavailableError('memory sms sender set to fail')
      sent.push({ to, body })
    },

    lastCodeSentTo (to) {
      const message = sent.findLast((entry) => entry.to === to)
      return message === undefined ? null : /\b(\d{6})\b/.exec(message.body)?.[1] ?? null
    }
  }
  return sender
}
