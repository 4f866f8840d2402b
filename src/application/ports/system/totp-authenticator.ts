/**
 * Time-based one-time passwords (RFC 6238): SHA-1, 6 digits, 30-second steps, which is what every
 * authenticator app reads from a QR code without asking.
 */
export interface TotpAuthenticator {
  /** A fresh random secret of 20 bytes (RFC 4226's recommended length), in base32. */
  newSecret(): string
  /**
   * The `otpauth://totp/...` URI an authenticator app enrols from (issuer `mobile-auth`); `label` is usually the email.
   */
  uri(secret: string, label: string): string
  /**
   * The 30-second time step whose code `code` is, within one step either side of `at` (clock drift
   * and typing time), or null: a wrong or malformed code. The caller makes a step good only once.
   */
  matchStep(secret: string, code: string, at: Date): number | null
}
