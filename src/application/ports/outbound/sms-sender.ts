import type { PhoneNumber } from '../../../domain/user.js'

export interface SmsSender {
  /**
   * Sends one text message. Resolves once the provider accepted it; throws SmsUnavailableError
   * when the provider refuses, fails or does not answer in time (never hangs, never leaks the text).
   */
  send (to: PhoneNumber, body: string): Promise<void>
}
