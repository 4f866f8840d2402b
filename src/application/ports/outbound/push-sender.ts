/** One notification. `data` reaches the app as key/value strings (FCM's data payload). */
export interface PushMessage { title: string, body: string, data: Record<string, string> }

export interface PushOutcome {
  /** How many devices accepted the message. */
  delivered: number
  /** Tokens the provider says no longer name a device (unregistered, invalid): the caller forgets them. */
  deadTokens: string[]
  /** Tokens that still failed after the adapter's retries (provider down, quota); kept, tried next time. */
  failedTokens: string[]
}

export interface PushSender {
  /**
   * Sends the message to each device token. Transient failures are retried inside, within a
   * bounded time. Never throws for a token's failure: every token is reported in the outcome.
   */
  send (tokens: string[], message: PushMessage): Promise<PushOutcome>
}
