import type { MailSender } from '../../application/ports/outbound/mail-sender.js'

export interface EmailSentEvent { event: 'email.sent', to: string, subject: string, text: string }

/**
 * The embedded default when no SMTP server is configured: the plain text of the mail, code
 * included, goes to the log so a developer can follow a reset or a verification. The HTML part
 * says the same and is left out. Never wire this where real members receive codes (production
 * refuses to start without SMTP_URL).
 */
export function createLogMailSender (log: (event: EmailSentEvent) => void): MailSender {
  return {
    async send ({ to, subject, text }) { log({ event: 'email.sent', to, subject, text }) }
  }
}
