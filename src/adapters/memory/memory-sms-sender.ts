import type { SmsSender } from '../../application/ports/sms-sender.js'
import { SmsUnavailableError } from '../../domain/errors.js'

/** Keeps texts in memory so tests can read the code a member would have received. */
export class MemorySmsSender implements SmsSender {
  readonly sent: Array<{ to: string, body: string }> = []
  /** Set to make the next sends fail as a provider outage would. */
  failing = false

  async send (to: string, body: string): Promise<void> {
    if (this.failing) throw new SmsUnavailableError('memory sms sender set to fail')
    this.sent.push({ to, body })
  }

  lastCodeSentTo (to: string): string | null {
    const message = this.sent.findLast((entry) => entry.to === to)
    return message === undefined ? null : /\b(\d{6})\b/.exec(message.body)?.[1] ?? null
  }
}
