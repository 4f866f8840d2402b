import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, RetryLaterError, ValidationError } from '../../../domain/errors.js'
import type { HttpFieldIssue } from './error-table.js'
import { sendError, type FieldProblems } from './error-reply.js'
import { discardRestOfBody } from '../body-limits.js'
import { ERRORS } from './error-table.js'

interface AjvError { keyword: string, instancePath: string, params: Record<string, unknown> }

/**
 * The one place errors become responses: domain errors by their code, Fastify's own errors
 * (validation, parsing, media type, size) by kind, anything else a logged 500 whose body never
 * carries a message, a cause or a stack.
 */
export function installErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A parser's refusal (too large, a type the route does not take, unreadable) closes the
    // connection: the answer waits until the client has sent the rest, or it may never read it.
    if (reply.getHeader('connection') === 'close') await discardRestOfBody(request.raw)
    if (error instanceof DomainError) return sendDomainError(error, request, reply)
    if (error.validation !== undefined) {
      return sendError(request, reply, 'invalid_input', fieldsFromAjv(error.validation as AjvError[]))
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return sendError(request, reply, 'unsupported_media_type')
      case 'FST_ERR_CTP_BODY_TOO_LARGE': return sendError(request, reply, 'payload_too_large')
    }
    // JSON syntax errors, empty JSON bodies, bad content-length: the client sent something unreadable.
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(request, reply, 'parse_error')
    }
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message, stack: error.stack } },
      'request failed'
    )
    return sendError(request, reply, 'internal')
  })

  app.setNotFoundHandler(async (request, reply) => sendError(request, reply, 'route_not_found'))
}

function sendDomainError (error: DomainError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ValidationError) return sendError(request, reply, 'invalid_input', error.fields)
  if (error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSeconds))
  if (ERRORS[error.code].logAs === 'dependency') {
    request.log.warn({ err: { type: error.name, message: error.message } }, 'dependency failed')
  }
  return sendError(request, reply, error.code)
}

/** Ajv's errors as DRF-style field problems: one entry per top-level field. */
function fieldsFromAjv (errors: AjvError[]): FieldProblems {
  const fields: FieldProblems = {}
  // A union (anyOf) failure repeats what its branches already said; keep it only when alone.
  const ordered = [
    ...errors.filter(error => error.keyword !== 'anyOf'),
    ...errors.filter(error => error.keyword === 'anyOf')
  ]
  for (const error of ordered) {
    if (error.keyword === 'anyOf' && fields[error.instancePath.split('/')[1] ?? ''] !== undefined) continue
    const [field, issue] = describe(error)
    const issues = (fields[field] ??= [])
    if (!issues.includes(issue)) issues.push(issue)
  }
  return fields
}

function describe ({ keyword, instancePath, params }: AjvError): [string, HttpFieldIssue] {
  const top = instancePath.split('/')[1]
  if (keyword === 'required' && top === undefined) return [String(params.missingProperty), 'required']
  if (top === undefined) return ['non_field_errors', 'invalid_body']
  switch (keyword) {
    case 'type': return [top, 'invalid_type']
    case 'maxLength': case 'maxItems': case 'maxProperties': return [top, 'too_long']
    case 'minLength': return [top, 'blank']
    case 'enum': case 'const': return [top, 'invalid_choice']
    case 'format': return [top, params.format === 'date' ? 'invalid_date' : 'invalid']
    case 'required': return [top, 'required']
    default: return [top, 'invalid']
  }
}
