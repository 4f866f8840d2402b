import type { Readable } from 'node:stream'
import multipart, { type Multipart, type MultipartValue } from '@fastify/multipart'
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { LocalFileStore, UploadOutcome, UploadRefusal } from '../embedded-file-store.js'
import { MEDIA_FILE, UPLOAD_SUCCESS, mediaDocs, s3ErrorResponses, uploadDocs } from '../schemas/file-routes.js'
import { PUBLIC } from '../schemas/openapi-document.js'

export interface LocalUploadRoutesOptions {
  store: LocalFileStore
  /** The deployment's ceiling (UPLOAD_MAX_BYTES); a policy cannot allow more. */
  maxUploadBytes: number
}

type S3ErrorCode = UploadRefusal | 'NoSuchKey' | 'InternalError'
const STATUS: Record<S3ErrorCode, number> = {
  AccessDenied: 403, EntityTooLarge: 400, EntityTooSmall: 400, InvalidArgument: 400, NoSuchKey: 404, InternalError: 500
}
// S3 caps what comes before the file at 20 KB; a signed form needs well under 1 KB.
const MAX_FIELDS = 32
const MAX_FIELD_BYTES = 20 * 1024
const NO_FILE: UploadOutcome = {
  ok: false,
  code: 'InvalidArgument',
  message: 'POST requires exactly one file upload per request.'
}
const UNREADABLE: UploadOutcome = { ok: false, code: 'InvalidArgument', message: 'The form could not be read.' }

/** The client sent a body the multipart parser cannot read: its fault, never a 500. */
class UnreadableFormError extends Error {}

/**
 * The embedded store's side of the presigned-POST flow, answering as S3 does (204, XML errors),
 * and the media it serves. Registered without fastify-plugin: multipart parsing and the XML error
 * handler stay inside this scope and leave the JSON API alone.
 */
export const localUploadRoutes: FastifyPluginAsync<LocalUploadRoutesOptions> = async (
  app,
  { store, maxUploadBytes }
) => {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    // One byte over the ceiling still reaches the store, which is how it tells "too large" from "exactly the limit".
    limits: {
      fileSize: maxUploadBytes + 1,
      files: 1,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      parts: MAX_FIELDS + 1
    }
  })

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status < 500) return sendS3Error(reply, 'InvalidArgument', 'The request could not be read.')
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message, stack: error.stack } },
      'file route failed'
    )
    return sendS3Error(reply, 'InternalError', 'We encountered an internal error. Please try again.')
  })

  app.post(
    '/uploads/',
    {
      schema: {
        tags: ['files'],
        operationId: 'uploadFile',
        summary: 'Upload one file with the presigned form from sign-s3 (the embedded store)',
        security: PUBLIC,
        response: {
          ...UPLOAD_SUCCESS,
          ...s3ErrorResponses(
            STATUS,
            'InvalidArgument',
            'EntityTooLarge',
            'EntityTooSmall',
            'AccessDenied',
            'InternalError'
          )
        }
      },
      // The signed form is the credential, and sign-s3, which hands it out, is limited per address.
      config: { swaggerTransform: uploadDocs, limit: { exempt: 'needs a signed upload form from sign-s3' } }
    },
    async (request, reply) => {
      if (!request.isMultipart()) return sendS3Error(reply, 'InvalidArgument', 'POST requires multipart/form-data.')
      const fields = new Map<string, string>()
      let malformed = false
      let outcome: UploadOutcome | null = null
      try {
        for await (const part of partsOf(request)) {
          // S3 ignores whatever follows the file; the parts are still read so the request ends cleanly.
          if (outcome !== null) {
            if (part.type === 'file') part.file.resume()
            continue
          }
          if (part.type === 'field') {
            malformed = !addField(fields, part) || malformed
            continue
          }
          outcome =
            malformed || part.fieldname !== 'file'
              ? UNREADABLE
              : await store.acceptUpload(fields, fromClient(part.file), maxUploadBytes)
          part.file.resume()
        }
      } catch (error) {
        if (!(error instanceof UnreadableFormError)) throw error
        // What the parser could not read may still be on the socket: do not reuse it.
        reply.header('connection', 'close')
        outcome ??= UNREADABLE
      }
      outcome ??= malformed ? UNREADABLE : NO_FILE
      if (!outcome.ok) return sendS3Error(reply, outcome.code, outcome.message)
      const status = Number(fields.get('success_action_status'))
      if (status === 201) {
        return reply
          .code(201)
          .type('application/xml')
          .send(
            xml(
              `<PostResponse><Location>${escapeXml(store.mediaUrl(outcome.key))}</Location>` +
                `<Key>${escapeXml(outcome.key)}</Key></PostResponse>`
            )
          )
      }
      return reply.code(status === 200 ? 200 : 204).send()
    }
  )

  app.get<{ Params: { '*': string }, Querystring: Record<string, unknown> }>(
    '/media/*',
    {
      schema: {
        tags: ['files'],
        operationId: 'getMedia',
        summary: 'A stored file; verification files need the signed link an admin got',
        security: PUBLIC,
        response: { 200: MEDIA_FILE, ...s3ErrorResponses(STATUS, 'AccessDenied', 'NoSuchKey', 'InternalError') }
      },
      config: { swaggerTransform: mediaDocs }
    },
    async (request, reply) => {
      const { expires, signature } = request.query
      const media = await store.readMedia(request.params['*'], {
        expires: single(expires),
        signature: single(signature)
      })
      if (!media.ok) return sendS3Error(reply, media.code, media.message)
      const { blob, isPrivate } = media
      return (
        reply
          .header('content-type', blob.contentType)
          .header('content-length', String(blob.size))
          // Served bytes are whatever a client uploaded: never let a browser guess they are HTML or script.
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'")
          // Identity documents must not stay in shared or disk caches; public photos may.
          .header('cache-control', isPrivate ? 'private, no-store' : 'public, max-age=3600')
          .send(blob.body)
      )
    }
  )
}

/** Multipart parts, with the parser's own failures (bad boundary, limits, cut-off body) marked as the client's. */
async function * partsOf (request: FastifyRequest): AsyncGenerator<Multipart> {
  try {
    yield * request.parts()
  } catch (error) {
    throw new UnreadableFormError('unreadable multipart body', { cause: error })
  }
}

/** The file's bytes; stopping early does not destroy the stream, so the caller can still discard the rest. */
async function * fromClient (file: Readable): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of file.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array
  } catch (error) {
    throw new UnreadableFormError('file part cut short', { cause: error })
  }
}

/** S3 matches field names case-insensitively; a repeated, truncated or non-text field makes the form unreadable. */
function addField (fields: Map<string, string>, part: MultipartValue): boolean {
  const name = part.fieldname.toLowerCase()
  if (part.fieldnameTruncated || part.valueTruncated || typeof part.value !== 'string' || fields.has(name)) return false
  fields.set(name, part.value)
  return true
}

const single = (value: unknown): string | undefined => typeof value === 'string' ? value : undefined

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c)

const xml = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`

/** Sent directly, so the app's JSON error handler never rewrites it. */
function sendS3Error (reply: FastifyReply, code: S3ErrorCode, message: string): FastifyReply {
  const body = `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `<RequestId>${escapeXml(reply.request.id)}</RequestId></Error>`
  return reply.code(STATUS[code]).type('application/xml').send(xml(body))
}
