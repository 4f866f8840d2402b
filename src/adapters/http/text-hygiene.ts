import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ValidationError, type FieldErrors } from '../../domain/errors.js'
import { hasControlCharacters } from '../../domain/text-field.js'
import { isDoorRoute } from './errors/error-reply.js'

/**
 * Passwords are exempt: argon2 hashes any bytes and a password is never stored or shown as text,
 * and an account whose password holds a control character must still be able to log in.
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'new_password', 'current_password'])
/** Free text a person writes over several lines (an admin's rejection reason) keeps \t, \n and \r. */
const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['reason'])

/**
 * Refuses C0 control characters and DEL in every string a client sends (body, query string, path
 * parameters, however deeply nested), as a 400 on the top-level field in the door's format. It runs
 * before validation and the handler, so nothing is read or written with them: PostgreSQL refuses a
 * NUL in text (a 500 and an error line), and the others have no place in names, keys or tokens.
 * Install before the routes are registered.
 */
export function installTextHygiene (app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // The file routes answer in S3's XML and treat keys as opaque names the store checks.
    if (!isDoorRoute(request.routeOptions.url)) return
    const fields: FieldErrors = {}
    for (const part of [request.params, request.query, request.body]) {
      for (const field of fieldsWithControls(part)) fields[field] = ['invalid']
    }
    if (Object.keys(fields).length > 0) throw new ValidationError(fields)
  })
}

/** The top-level fields of one request part whose strings hold a refused character. */
function fieldsWithControls (part: FastifyRequest['body']): string[] {
  if (typeof part === 'string') return hasControlCharacters(part) ? ['non_field_errors'] : []
  if (Array.isArray(part)) return holdsControls(part, false) ? ['non_field_errors'] : []
  if (!isPlainObject(part)) return []
  return Object.entries(part)
    .filter(([field, value]) => !SECRET_FIELDS.has(field) && holdsControls(value, MULTILINE_FIELDS.has(field)))
    .map(([field]) => field)
}

/** Walks arrays and plain objects without recursion: a body nested thousands deep stays cheap. */
function holdsControls (value: unknown, multiline: boolean): boolean {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const next = pending.pop()
    if (typeof next === 'string') {
      if (hasControlCharacters(next, { multiline })) return true
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item) // not push(...next): a long array would overflow the stack
    } else if (isPlainObject(next)) {
      for (const item of Object.values(next)) pending.push(item)
    }
  }
  return false
}

// Parsed JSON is made of plain objects; parsed forms, query strings and path parameters of
// objects whose prototype has no prototype itself (fast-querystring's and find-my-way's). Anything
// deeper (a Buffer, a stream) is not client text and is not walked.
function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === null || Object.getPrototypeOf(prototype) === null
}
