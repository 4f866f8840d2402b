import { ValidationError } from './errors.js'

export const MAX_PUSH_TOKEN_LENGTH = 4096

/** An FCM registration token; absent or blank means the device sent none. */
export function parsePushToken (input: string | null, field: string): string | null {
  if (input === null) return null
  const token = input.trim()
  if (token.length === 0) return null
  if (token.length > MAX_PUSH_TOKEN_LENGTH) throw ValidationError.of(field, 'too_long')
  return token
}
