import type { PushMessage, PushOutcome, PushSender } from '../../src/application/ports/outbound/push-sender.js'

/** A memory push sender, with what tests read and switch on it. */
export interface MemoryPushSender extends PushSender {
  /** Set to make the next sends fail as a provider outage would: every token reported failed. */
  failing: boolean
  /** From now on the provider answers that this token names no device (app uninstalled). */
  markDead (token: string): void
  /** What the device behind this token received, oldest first. */
  messagesTo (token: string): PushMessage[]
  /** Every delivery so far, one per token and message. */
  readonly deliveries: number
}

/** Keeps notifications per device token so tests can read what a device would have shown. */
export function createMemoryPushSender (): MemoryPushSender {
  const received = new Map<string, PushMessage[]>()
  const dead = new Set<string>()
  const sender: MemoryPushSender = {
    failing: false,

    async send (tokens, message) {
      // Duplicates are sent once, as the FCM adapter does.
      const distinct = [...new Set(tokens)]
      if (sender.failing) return { delivered: 0, deadTokens: [], failedTokens: distinct }
      const outcome: PushOutcome = { delivered: 0, deadTokens: [], failedTokens: [] }
      for (const token of distinct) {
        if (dead.has(token)) {
          outcome.deadTokens.push(token)
          continue
        }
        // A copy, so a caller changing its message later does not rewrite what the device got.
        const copy = { title: message.title, body: message.body, data: { ...message.data } }
        received.set(token, [...(received.get(token) ?? []), copy])
        outcome.delivered++
      }
      return outcome
    },

    markDead (token) {
      dead.add(token)
    },

    messagesTo (token) {
      return [...(received.get(token) ?? [])]
    },

    get deliveries () {
      let count = 0
      for (const messages of received.values()) count += messages.length
      return count
    }
  }
  return sender
}
