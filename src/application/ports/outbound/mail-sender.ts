/** One email: a plain-text body and the same content as simple HTML, both already in the member's language. */
export interface MailMessage {
  /** One address, as stored for the member (an Email). */
  to: string
  subject: string
  text: string
  html: string
}

export interface MailSender {
  /**
   * Sends one email. Resolves once the mail server accepted it for delivery; throws
   * MailUnavailableError when the server refuses, fails or does not answer in time (never hangs,
   * and the error never carries the message, which may hold a code, nor the server's credentials).
   */
  send (message: MailMessage): Promise<void>
}
