import { setTimeout as delay } from 'node:timers/promises'
import { cert, initializeApp } from 'firebase-admin/app'
import { getMessaging, type BatchResponse, type Messaging } from 'firebase-admin/messaging'
import type { PushMessage, PushOutcome, PushSender } from '../../application/ports/outbound/push-sender.js'

/** FCM refuses a multicast of more than 500 tokens. */
const FCM_MAX_TOKENS = 500

export interface FcmPushSenderOptions {
  messaging: Messaging
  /** Sends per token, the first included; at least 1. */
  maxAttempts?: number
  /** Wait before the 2nd, 3rd, ... attempt; the last entry repeats if attempts outnumber it. */
  retryDelaysMs?: number[]
  /** Replaced in tests so retries do not wait. */
  sleep?: (ms: number) => Promise<void>
}

/** The FCM project's service account, as in the JSON key Google hands out. */
export interface FirebaseServiceAccount { projectId: string, clientEmail: string, privateKey: string }

/**
 * A named app, so this never touches (or clashes with) a default app some other code initialised.
 * No network happens here: the access token is fetched on the first send. Throws now on a
 * malformed private key, so bad configuration stops start-up; firebase-admin's message for it
 * names the parse error, not the key.
 */
export function createFirebaseMessaging (serviceAccount: FirebaseServiceAccount, appName = 'push'): Messaging {
  return getMessaging(initializeApp({ credential: cert(serviceAccount), projectId: serviceAccount.projectId }, appName))
}

type Verdict = 'delivered' | 'dead' | 'payload-or-token' | 'transient' | 'failed'

// firebase-admin maps FCM v1's UNREGISTERED / NOT_FOUND to not-registered; invalid-registration-token
// is the legacy API's name for a malformed token. Either way the token names no device.
const DEAD_CODES = new Set(['messaging/registration-token-not-registered', 'messaging/invalid-registration-token'])

const TRANSIENT_CODES = new Set([
  'messaging/unavailable', // not produced by firebase-admin 13, kept in case an older mapping comes back
  'messaging/server-unavailable',
  'messaging/internal-error',
  'messaging/message-rate-exceeded', // FCM v1 QUOTA_EXCEEDED / RESOURCE_EXHAUSTED
  'messaging/device-message-rate-exceeded',
  'messaging/topics-message-rate-exceeded',
  'app/network-error', // firebase-admin's wrapper around socket and HTTP/2 session failures
  'app/network-timeout',
  // Raw Node errors, should a request reject without firebase-admin wrapping it.
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'
])

function classify (response: BatchResponse['responses'][number] | undefined): Verdict {
  // No answer for a token at all (a malformed BatchResponse): the outcome is unknown, like a dropped call.
  if (response === undefined) return 'transient'
  if (response.success) return 'delivered'
  const code = (response.error as { code?: unknown } | undefined)?.code
  if (typeof code !== 'string') return 'failed'
  if (DEAD_CODES.has(code)) return 'dead'
  // FCM v1 answers INVALID_ARGUMENT both for a malformed token and for a message it will not take
  // (bad data key, too large). Only the message text tells them apart, and matching vendor text is
  // fragile. Every token gets the same message, so a delivery in the same send proves the message
  // good and the token bad; without one, forgetting tokens could wipe every device over a payload bug.
  if (code === 'messaging/invalid-argument') return 'payload-or-token'
  if (TRANSIENT_CODES.has(code)) return 'transient'
  // Authentication, credential, sender-mismatch and unknown errors: retrying within seconds would
  // not help, and a sender mismatch may be our own wrong project, so the token is kept, not dropped.
  return 'failed'
}

/**
 * Sends through firebase-admin's sendEachForMulticast. Duplicate tokens are sent once and reported
 * once. Only transient failures are retried, and only for the tokens that had them. Never throws:
 * whatever firebase-admin does, each distinct token ends up delivered, dead or failed. Its errors
 * are classified by `code` and dropped, never passed on: their messages can hold the raw server
 * response.
 */
export function createFcmPushSender (options: FcmPushSenderOptions): PushSender {
  const { messaging, maxAttempts = 3, retryDelaysMs = [200, 1000], sleep = (ms) => delay(ms) } = options
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error('maxAttempts must be a whole number of at least 1')
  }

  /** Each token's verdict for one attempt. Chunks go one after another to bound open requests. */
  async function attempt (tokens: string[], message: PushMessage): Promise<Map<string, Verdict>> {
    const verdicts = new Map<string, Verdict>()
    for (let start = 0; start < tokens.length; start += FCM_MAX_TOKENS) {
      const chunk = tokens.slice(start, start + FCM_MAX_TOKENS)
      const responses = await sendChunk(chunk, message)
      chunk.forEach((token, i) => verdicts.set(token, responses === null ? 'transient' : classify(responses[i])))
    }
    return verdicts
  }

  /** The per-token answers, or null when the call as a whole failed and no token's fate is known. */
  async function sendChunk (tokens: string[], message: PushMessage): Promise<BatchResponse['responses'] | null> {
    try {
      const batch = await messaging.sendEachForMulticast({
        tokens,
        notification: { title: message.title, body: message.body },
        data: { ...message.data }
      })
      return batch.responses
    } catch (error) {
      // A dropped HTTP/2 session rejects the whole call, yet some requests may have gone through;
      // firebase-admin hands their answers over, and using them avoids a second copy on those devices.
      const pending = (error as { pendingBatchResponse?: unknown } | null)?.pendingBatchResponse
      if (pending instanceof Promise) {
        try {
          return ((await pending) as BatchResponse).responses
        } catch {
          return null
        }
      }
      return null
    }
  }

  return {
    async send (tokens, message) {
      let pending = [...new Set(tokens)]
      const delivered = new Set<string>()
      const deadTokens: string[] = []
      const failedTokens: string[] = []
      const payloadOrToken: string[] = []

      for (let attemptNo = 1; pending.length > 0; attemptNo++) {
        const verdicts = await attempt(pending, message)
        const transient: string[] = []
        for (const token of pending) {
          const verdict = verdicts.get(token) ?? 'transient'
          if (verdict === 'delivered') delivered.add(token)
          else if (verdict === 'dead') deadTokens.push(token)
          else if (verdict === 'payload-or-token') payloadOrToken.push(token)
          else if (verdict === 'failed') failedTokens.push(token)
          else transient.push(token)
        }
        if (transient.length === 0) break
        if (attemptNo >= maxAttempts) {
          failedTokens.push(...transient)
          break
        }
        // A failing sleep must not break the promise to never throw; the retry just comes sooner.
        await Promise.resolve(retryDelaysMs[attemptNo - 1] ?? retryDelaysMs.at(-1) ?? 0).then(sleep).catch(() => {})
        pending = transient
      }

      if (delivered.size > 0) deadTokens.push(...payloadOrToken)
      else failedTokens.push(...payloadOrToken)
      return { delivered: delivered.size, deadTokens, failedTokens } satisfies PushOutcome
    }
  }
}
