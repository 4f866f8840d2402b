import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, RetryLaterError } from '../../../domain/errors.js'
import { ERRORS, type ErrorCode } from '../errors/error-table.js'
import { frameOf, sendPage } from './console-context.js'
import type { ConsoleTexts } from './pages/console-texts.js'
import { messagePage } from './pages/sign-in-pages.js'

/** The error table's code for what went wrong, as the JSON doors' handler names it (error-handler.ts). */
function codeOf (error: FastifyError): ErrorCode {
  if (error instanceof DomainError) return error.code
  if (error.validation !== undefined) return 'invalid_input'
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return 'unsupported_media_type'
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return 'payload_too_large'
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return 'parse_error'
  return 'internal'
}

/** The console's own words for a code: a staff member needs fewer distinctions than an app. */
function consoleText (t: ConsoleTexts, code: ErrorCode, error: FastifyError): string {
  if (error instanceof RetryLaterError) return t.errors.throttled(error.retryAfterSeconds)
  if (code === 'not_found') return t.errors.not_found
  return ERRORS[code].status < 500 ? t.errors.invalid : t.errors.unavailable
}

/**
 * Errors as pages in the reader's language: the status from the one error table, the text from the
 * console's. A 5xx never shows its cause; a failed dependency is a warning, anything else unexpected an error.
 */
export function renderConsoleError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const frame = frameOf(request, null)
  const code = codeOf(error)
  const row = ERRORS[code]
  if (error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSeconds))
  if (row.logAs === 'dependency') {
    request.log.warn({ err: { type: error.name, message: error.message } }, 'dependency failed')
  } else if (code === 'internal') {
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message, stack: error.stack } },
      'request failed'
    )
  }
  return sendPage(
    reply,
    row.status,
    messagePage(frame, frame.t.product, consoleText(frame.t, code, error), {
      href: '/console/queue',
      label: frame.t.queue
    })
  )
}
