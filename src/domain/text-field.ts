import { ValidationError } from './errors.js'

/** Trimmed, non-blank, at most `max` characters. */
export function requireText (input: string, field: string, max: number): string {
  const value = input.trim()
  if (value.length === 0) throw ValidationError.of(field, 'blank')
  if ([...value].length > max) throw ValidationError.of(field, 'too_long')
  return value
}

/** Like requireText, but blank or absent means null. */
export function optionalText (input: string | null | undefined, field: string, max: number): string | null {
  if (input === null || input === undefined || input.trim() === '') return null
  return requireText(input, field, max)
}
