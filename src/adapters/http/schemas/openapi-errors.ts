import { STATUS_CODES } from 'node:http'
import { Type, type TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { ERRORS, type ErrorCode } from '../errors/error-table.js'
import { errorBody, type Door, type FieldProblems } from '../errors/error-reply.js'

// The error schemas are exact, and serialise every body the error handler can send: fast-json-stringify
// throws (a 500) on a missing required field or a union branch that does not match, so the shape
// depends only on the door and the status, never on the codes a route lists. A status a route does
// not list goes out through JSON.stringify. `code` is a plain string, not an enum: a generated
// client with a closed enum would fail to decode a code added later.

const AuthError = Type.Object(
  {
    code: Type.String({ description: "Stable code (the email app's), e.g. `INVALID_TOKEN`" }),
    message: Type.String({ description: 'Korean by default; English with `Accept-Language: en`' }),
    detail: Type.String({
      description:
        "The email app's fixed text where it has one (`Incorrect email or password`, " +
          '`Could not validate credentials`), else the message or the field problems'
    })
  },
  { additionalProperties: false, description: 'Email door: `{"code", "message", "detail"}`' }
)

const ApiDetailError = Type.Object({
  detail: Type.String({ description: 'Korean by default; English with `Accept-Language: en`' }),
  code: Type.String({ description: 'Stable code (the phone app\'s), e.g. `1006`, `not_found`, `token_not_valid`' })
}, { additionalProperties: false, description: 'Phone door (DRF style): `{"detail", "code"}`' })

const ApiFieldErrors = Type.Object(
  {},
  {
    additionalProperties: Type.Array(Type.String()),
    description:
      'Phone door field errors (DRF style): each refused field with its messages; `non_field_errors` when the body ' +
        'is not a JSON object'
  }
)

/** The schema of one door's error bodies at one status. */
function errorSchema (door: Door, status: number): TSchema {
  if (door === 'auth') return AuthError
  // Only invalid_input (400) carries field errors; every other refusal is `{detail, code}`.
  return status === 400 ? Type.Union([ApiDetailError, ApiFieldErrors]) : ApiDetailError
}

/** invalid_input as a route shows it: which fields, refused for which reasons. */
export interface FieldRefusal { code: 'invalid_input', fields: FieldProblems }
/** One refusal a route documents: an error-table code, or invalid_input with its example fields. */
export type Refusal = Exclude<ErrorCode, 'invalid_input'> | FieldRefusal

export const invalidFields = (fields: FieldProblems): FieldRefusal => ({ code: 'invalid_input', fields })

/** A route that reads a body: unreadable JSON, over the body limit, or a content type it does not take. */
export const BODY_REFUSALS = [
  'parse_error',
  'payload_too_large',
  'unsupported_media_type'
] as const satisfies readonly Refusal[]
/** A route behind an access token of either door. */
export const TOKEN_REFUSALS = ['token_expired', 'invalid_token', 'user_not_found'] as const satisfies readonly Refusal[]

/** The exact body the error handler sends: built by the same function, so the two cannot drift. */
function exampleBody (door: Door, refusal: Refusal): Record<string, unknown> {
  // errorBody reads only the URL (for the door) and Accept-Language (none: Korean, the apps' default).
  const request = { url: door === 'auth' ? '/auth' : '/api/', headers: {} } as unknown as FastifyRequest
  return typeof refusal === 'string' ? errorBody(request, refusal) : errorBody(request, refusal.code, refusal.fields)
}

/** The error handler sets Retry-After on every 429 (each is a RetryLaterError). */
const sendsRetryAfter = (refusal: Refusal) =>
  refusal === 'throttled' || refusal === 'otp_resend_too_soon' || refusal === 'otp_attempts_exceeded'

function describeStatus (door: Door, status: number, refusals: Refusal[]): string {
  const codes = refusals.map((refusal) => {
    const code = typeof refusal === 'string' ? refusal : refusal.code
    return door === 'api' && code === 'invalid_input' ? 'field errors' : `\`${ERRORS[code][door]}\``
  })
  const retry = refusals.some(sendsRetryAfter) ? ' Rate-limit refusals carry a `Retry-After` header (seconds).' : ''
  return `${STATUS_CODES[status] ?? 'Error'}: ${[...new Set(codes)].join(', ')}.${retry}`
}

/**
 * Response schemas for the refusals a route can answer, grouped by the status the error table gives
 * each: the door's error schema, a description naming the codes, and one named example per refusal,
 * built by the error handler's own body function. `internal` (500) is added to every route.
 */
export function errorResponses (door: Door, ...refusals: Refusal[]): Record<number, TSchema> {
  const byStatus = new Map<number, Refusal[]>()
  for (const refusal of [...refusals, 'internal' as const]) {
    const status = ERRORS[typeof refusal === 'string' ? refusal : refusal.code].status
    const list = byStatus.get(status) ?? []
    if (!list.includes(refusal)) list.push(refusal)
    byStatus.set(status, list)
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => {
    const examples: Record<string, { summary: string, value: Record<string, unknown> }> = {}
    for (const refusal of list) {
      const code = typeof refusal === 'string' ? refusal : refusal.code
      const name = examples[code] === undefined ? code : `${code}_${Object.keys(examples).length + 1}`
      examples[name] = { summary: `${code}: ${ERRORS[code].en}`, value: exampleBody(door, refusal) }
    }
    const schema: Record<string, unknown> = {
      ...errorSchema(door, status),
      'x-response-description': describeStatus(door, status, list),
      'x-examples': examples
    }
    if (list.some(sendsRetryAfter)) {
      schema['headers'] = {
        'retry-after': { type: 'integer', minimum: 1, description: 'Seconds until a new request may succeed' }
      }
    }
    return [status, schema as TSchema]
  }))
}
