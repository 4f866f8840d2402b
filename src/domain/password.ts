import { ValidationError } from './errors.js'

export const MIN_PASSWORD_LENGTH = 8

/** Length counts characters the user typed (code points), not UTF-16 units or bytes. */
export function assertPasswordPolicy (password: string, field = 'password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw ValidationError.of(field, 'password_too_short')
}
