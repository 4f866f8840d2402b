import type { FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, FIELD_ISSUES, type ErrorCode, type HttpFieldIssue } from './error-table.js'
import { pickLanguage } from '../language.js'

export type Door = 'api' | 'auth'

/** `/auth/*` speaks the email app's envelope; everything else (phone door, admin, ops) the phone app's. */
export function doorOf (url: string): Door {
  return url === '/auth' || url.startsWith('/auth/') || url.startsWith('/auth?') ? 'auth' : 'api'
}

/** The JSON doors' route prefixes. The file routes keep their own rules (multipart, S3's XML errors). */
const DOOR_PREFIXES = ['/api/', '/auth/', '/admin/']

/** Whether a route pattern belongs to a JSON door (the body and text rules apply there). */
export function isDoorRoute (route: string | undefined): boolean {
  return route !== undefined && DOOR_PREFIXES.some((prefix) => route.startsWith(prefix))
}

export type FieldProblems = Record<string, HttpFieldIssue[]>

/** Builds the body of an error in the door's format and language. */
export function errorBody (request: FastifyRequest, code: ErrorCode, fields?: FieldProblems): Record<string, unknown> {
  const language = pickLanguage(request.headers['accept-language'])
  const row = ERRORS[code]
  const message = row[language]
  const localise = (issues: HttpFieldIssue[]) => issues.map((issue) => FIELD_ISSUES[issue][language])

  if (doorOf(request.url) === 'auth') {
    const detail = fields === undefined
      ? row.authDetail ?? message
      : Object.entries(fields).map(([field, issues]) => `${field}: ${localise(issues).join(' ')}`).join('; ')
    return { code: row.auth, message, detail }
  }
  if (fields !== undefined) {
    return Object.fromEntries(Object.entries(fields).map(([field, issues]) => [field, localise(issues)]))
  }
  return { detail: message, code: row.api }
}

export function sendError (
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  fields?: FieldProblems
): FastifyReply {
  return reply.code(ERRORS[code].status).send(errorBody(request, code, fields))
}
