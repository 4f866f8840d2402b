import { ValidationError } from './errors.js'

export type Email = string & { readonly __brand: 'Email' }

// Deliberately plain: one @, a dotted domain, no spaces. RFC 5322 allows far more, but no mail
// provider hands out such addresses and the apps send what the user typed.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/
const MAX_LENGTH = 254

/** Trims and lower-cases: emails compare case-insensitively (contract). */
export function parseEmail (input: string, field = 'email'): Email {
  const email = input.trim().toLowerCase()
  if (email.length === 0) throw ValidationError.of(field, 'blank')
  if (email.length > MAX_LENGTH) throw ValidationError.of(field, 'too_long')
  if (!SHAPE.test(email)) throw ValidationError.of(field, 'invalid_email')
  return email as Email
}
