import type { PushMessage, PushOutcome, PushSender } from '../../application/ports/push-sender.js'

/** Keeps notifications per device token so tests can read what a device would have shown. */
export class MemoryPushSender implements PushSender {
  /** Set to make the next sends fail as a provider outage would: every token reported failed. */
  failing = false
  private readonly received = new Map<string, PushMessage[]>()
  private readonly dead = new Set<string>()

  async send (tokens: string[], message: PushMessage): Promise<PushOutcome> {
    // Duplicates are sent once, as the FCM adapter does.
    const distinct = [...new Set(tokens)]
    if (this.failing) return { delivered: 0, deadTokens: [], failedTokens: distinct }
    const outcome: PushOutcome = { delivered: 0, deadTokens: [], failedTokens: [] }
    for (const token of distinct) {
      if (this.dead.has(token)) {
        outcome.deadTokens.push(token)
        continue
      }
      // A copy, so a caller changing its message later does not rewrite what the device got.
      const copy = { title: message.title, body: message.body, data: { ...message.data } }
      this.received.set(token, [...(this.received.get(token) ?? []), copy])
      outcome.delivered++
    }
    return outcome
  }

  /** From now on the provider answers that this token names no device (app uninstalled). */
  markDead (token: string): void {
    this.dead.add(token)
  }

  /** What the device behind this token received, oldest first. */
  messagesTo (token: string): PushMessage[] {
    return [...(this.received.get(token) ?? [])]
  }

  /** Every delivery so far, one per token and message. */
  get deliveries (): number {
    let count = 0
    for (const messages of this.received.values()) count += messages.length
    return count
  }
}
