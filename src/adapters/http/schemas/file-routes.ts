import { STATUS_CODES } from 'node:http'
import type { SwaggerTransform } from '@fastify/swagger'
import { UPLOAD_CONTENT_TYPES } from '../../../domain/uploads.js'

// /docs for the embedded file store's routes. They answer as S3 does (XML errors, 204 bodies) and
// read their input themselves, so the request parts are documented through swaggerTransform: a
// schema Fastify would validate against would change what they answer.

const EXAMPLE_MESSAGES: Record<string, string> = {
  AccessDenied: 'Access Denied',
  EntityTooLarge: 'Your proposed upload exceeds the maximum allowed size.',
  EntityTooSmall: 'Your proposed upload is smaller than the minimum allowed size.',
  InvalidArgument: 'POST requires exactly one file upload per request.',
  NoSuchKey: 'The specified key does not exist.',
  InternalError: 'We encountered an internal error. Please try again.'
}

const xmlError = (code: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  `<Error><Code>${code}</Code><Message>${EXAMPLE_MESSAGES[code] ?? code}</Message>` +
  '<RequestId>4442587FB7D0A2F9</RequestId></Error>'

/** S3's XML error document at the status each code answers with, one named example per code. */
export function s3ErrorResponses<C extends string> (
  statusOf: Record<C, number>,
  ...codes: C[]
): Record<number, unknown> {
  const byStatus = new Map<number, C[]>()
  for (const code of codes) byStatus.set(statusOf[code], [...(byStatus.get(statusOf[code]) ?? []), code])
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        status,
        {
          description: `${STATUS_CODES[status]}: ${list.map(code => `\`${code}\``).join(', ')} ` +
            '(an S3 XML error document)',
          content: {
            'application/xml': {
              schema: {
                type: 'string',
                description: '`<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`'
              },
              examples: Object.fromEntries(list.map(code => [code, { summary: code, value: xmlError(code) }]))
            }
          }
        }
      ])
  )
}

export const UPLOAD_SUCCESS = {
  200: { type: 'null', description: 'OK: stored (`success_action_status=200`)' },
  201: {
    description: 'Created: stored (`success_action_status=201`), with its location',
    content: {
      'application/xml': {
        schema: { type: 'string' },
        example:
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          '<PostResponse><Location>https://auth.example.org/media/images/users/profiles/rVvDZa9Mk28f58ch2AXuNt.jpeg' +
          '</Location><Key>images/users/profiles/rVvDZa9Mk28f58ch2AXuNt.jpeg</Key></PostResponse>'
      }
    }
  },
  204: { type: 'null', description: 'No Content: stored (the default)' }
}

/** The form `POST /api/sign-s3/` returned, sent as it came, the file last. */
const UPLOAD_FORM = {
  type: 'object',
  required: ['key', 'Content-Type', 'policy', 'signature', 'file'],
  properties: {
    key: { type: 'string', example: 'images/users/profiles/rVvDZa9Mk28f58ch2AXuNt.jpeg' },
    'Content-Type': { type: 'string', enum: [...UPLOAD_CONTENT_TYPES] },
    policy: { type: 'string', description: 'As signed by sign-s3' },
    signature: { type: 'string', description: 'As signed by sign-s3' },
    success_action_status: {
      type: 'string',
      enum: ['200', '201', '204'],
      description: 'The status to answer with (default 204)'
    },
    file: { type: 'string', format: 'binary', description: 'The last part: S3 ignores whatever follows it' }
  }
}

export const uploadDocs: SwaggerTransform = ({ schema, url }) => ({
  url,
  schema: { ...schema, consumes: ['multipart/form-data'], body: UPLOAD_FORM }
})

export const MEDIA_FILE = {
  description: 'OK: the file, with the image type it was uploaded as',
  content: Object.fromEntries(
    UPLOAD_CONTENT_TYPES.map(type => [type, { schema: { type: 'string', format: 'binary' } }])
  )
}

/** `/media/*` as OpenAPI can say it: one path parameter whose value spans segments. */
export const mediaDocs: SwaggerTransform = ({ schema }) => ({
  url: '/media/{key}',
  schema: {
    ...schema,
    params: {
      type: 'object',
      required: ['key'],
      properties: {
        key: {
          type: 'string',
          description: 'The storage key, slashes kept as they are (e.g. `images/users/profiles/x.jpeg`)'
        }
      }
    },
    querystring: {
      type: 'object',
      properties: {
        expires: {
          type: 'string',
          pattern: '^[0-9]{1,12}$',
          description: 'Verification files only: the Unix time the signed link ends'
        },
        signature: { type: 'string', description: 'Verification files only: the signature of the link' }
      }
    }
  }
})
