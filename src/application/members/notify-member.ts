import type { PushMessage, PushSender } from '../ports/outbound/push-sender.js'
import type { PushTokenRepository } from '../ports/records/push-token-repository.js'

export interface NotifyMemberDeps { pushTokens: PushTokenRepository, push: PushSender }

/** What happened to a notification; the HTTP adapter logs it. */
export interface PushReport {
  devices: number
  delivered: number
  removed: number
  failed: number
  error: string | null
}

/**
 * Pushes a message to every device of a member and forgets the tokens the provider calls dead.
 * Never throws: a notification is a courtesy, and the admin's decision it reports already stands.
 */
export const makeNotifyMember = ({ pushTokens, push }: NotifyMemberDeps) =>
  async function notifyMember (userId: string, message: PushMessage): Promise<PushReport> {
    const report: PushReport = { devices: 0, delivered: 0, removed: 0, failed: 0, error: null }
    try {
      const tokens = await pushTokens.list(userId)
      report.devices = tokens.length
      if (tokens.length === 0) return report
      const outcome = await push.send(tokens, message)
      report.delivered = outcome.delivered
      report.failed = outcome.failedTokens.length
      for (const token of outcome.deadTokens) {
        await pushTokens.remove(token)
        report.removed++
      }
    } catch (error) {
      report.error = error instanceof Error ? error.constructor.name : 'unknown'
    }
    return report
  }

export type NotifyMember = ReturnType<typeof makeNotifyMember>
