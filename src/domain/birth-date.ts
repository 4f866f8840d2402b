import { ValidationError } from './errors.js'

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar date (YYYY-MM-DD) strictly before today and not before 1900. */
export function parseBirthDate (input: string, today: Date, field = 'birth'): string {
  const match = SHAPE.exec(input)
  if (match === null) throw ValidationError.of(field, 'invalid_date')
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1900) {
    throw ValidationError.of(field, 'invalid_date')
  }
  const startOfToday = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  if (date.getTime() >= startOfToday) throw ValidationError.of(field, 'date_not_past')
  return input
}
