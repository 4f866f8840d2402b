import type { MailMessage, MailSender } from '../../src/application/ports/outbound/mail-sender.js'
import { MailUnavailableError } from '../../src/domain/errors.js'

/** A memory mail sender, with what tests read and switch on it. */
export interface MemoryMailSender extends MailSender {
  /** Every accepted message, oldest first. */
  readonly sent: MailMessage[]
  /** Set to make the next sends fail as an SMTP outage would. */
  failing: boolean
  /** The newest message to this address, or null. */
  lastSentTo (to: string): MailMessage | null
  /** The six-digit code in the newest message to this address, or null. */
  lastCodeSentTo (to: string): string | null
}

/** Keeps mail in memory so tests can read the code or the notice a member would have received. */
export function createMemoryMailSender (): MemoryMailSender {
  const sent: MailMessage[] = []
  const sender: MemoryMailSender = {
    sent,
    failing: false,

    async send (message) {
      if (sender.failing) throw new MailUnavailableError('memory mail sender set to fail')
      // A copy, so a caller changing its object later does not rewrite what the member got.
      sent.push({ to: message.to, subject: message.subject, text: message.text, html: message.html })
    },

    lastSentTo (to) {
      return sent.findLast((message) => message.to === to) ?? null
    },

    lastCodeSentTo (to) {
      const message = sender.lastSentTo(to)
      return message === null ? null : /\b(\d{6})\b/.exec(message.text)?.[1] ?? null
    }
  }
  return sender
}
