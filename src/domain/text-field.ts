import { ValidationError } from './errors.js'

// C0 controls and DEL. NUL is the sharp one (PostgreSQL refuses it in text, SQLSTATE 22021), but
// none of them belongs in a name, a key or a token, and some rewrite what a log or a terminal shows.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/
// The same, with tab, line feed and carriage return allowed: text a person writes over several lines.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** Whether `text` holds a C0 control character or DEL; `multiline` lets \t, \n and \r through. */
export function hasControlCharacters (text: string, { multiline = false }: { multiline?: boolean } = {}): boolean {
  return (multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(text)
}

/** Trimmed, non-blank, at most `max` characters, single-line: no control characters. */
export function requireText (input: string, field: string, max: number): string {
  const value = input.trim()
  if (value.length === 0) throw ValidationError.of(field, 'blank')
  if ([...value].length > max) throw ValidationError.of(field, 'too_long')
  if (hasControlCharacters(value)) throw ValidationError.of(field, 'invalid')
  return value
}

/** Like requireText, but blank or absent means null. */
export function optionalText (input: string | null | undefined, field: string, max: number): string | null {
  if (input === null || input === undefined || input.trim() === '') return null
  return requireText(input, field, max)
}
