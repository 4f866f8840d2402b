import { STATUS_CODES } from 'node:http'
import type { SwaggerOptions, SwaggerTransformObject } from '@fastify/swagger'

declare module 'fastify' {
  interface FastifySchema {
    /** Documents the request body as optional: the route also takes its input from a header. */
    'x-body-optional'?: true
  }
}

/** A public route: no token. */
export const PUBLIC: Array<Record<string, string[]>> = []
/** An access token of either door. */
export const BEARER = [{ bearer: [] }]
/** An access token, or none (the route then takes other proof in its body). */
export const OPTIONAL_BEARER: Array<Record<string, string[]>> = [{ bearer: [] }, {}]
/** ADMIN_API_KEY. */
export const ADMIN_KEY = [{ adminKey: [] }]
/** The phone door's logout: the refresh token in the body, or as the bearer with no body. */
export const OPTIONAL_REFRESH_BEARER: Array<Record<string, string[]>> = [{}, { refreshBearer: [] }]

interface OpenApiOperation {
  requestBody?: { required?: boolean }
  responses?: Record<string, { description?: string }>
  'x-body-optional'?: true
}

/**
 * Applies the markers a route schema can carry (then drops them); a success keeps its reason phrase, not "Default
 * Response".
 */
const finishDocument: SwaggerTransformObject = (document) => {
  if (!('openapiObject' in document)) return document.swaggerObject
  const paths = (document.openapiObject.paths ?? {}) as Record<string, Record<string, OpenApiOperation>>
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response.description === 'Default Response') response.description = STATUS_CODES[status] ?? status
      }
      if (operation['x-body-optional'] === undefined) continue
      if (operation.requestBody !== undefined) operation.requestBody.required = false
      delete operation['x-body-optional']
    }
  }
  return document.openapiObject
}

/** The document-level half of `/docs/json`; the operations come from the route schemas. */
export const OPENAPI_OPTIONS: SwaggerOptions = {
  openapi: {
    info: {
      title: 'Mobile auth service',
      version: '1.0.0',
      description: [
        'Authentication for two mobile apps over one user store.',
        '',
        '- **Phone door** (`/api/...`, the phone app, DRF style): errors are `{"detail", "code"}`, or field errors ' +
          '`{"<field>": ["<message>"]}` with 400.',
        '- **Email door** (`/auth/...`, the email app): errors are `{"code", "message", "detail"}`.',
        '',
        'An access token of either door works on the protected routes of both (`Authorization: Bearer <token>`).',
        'Messages are Korean unless `Accept-Language` prefers English (`en`). A `code` is stable: match on it, never ' +
          'on the text.',
        'Any route may answer 503 while the instance shuts down.'
      ].join('\n'),
      license: { name: 'Proprietary' }
    },
    // Relative: the API is served by the host that serves this document, whatever its deployment.
    servers: [{ url: '/', description: 'This service' }],
    tags: [
      {
        name: 'admin',
        description:
          'Member approval and catalogs, for `Authorization: Bearer <ADMIN_API_KEY>`; absent when no key is set'
      },
      { name: 'email door', description: 'The email app: email + password accounts (FastAPI style)' },
      {
        name: 'email door: providers and passkeys',
        description: 'Kakao, Apple or Google ID tokens and passkeys signing in, answered as the email app expects'
      },
      {
        name: 'either door: providers and passkeys',
        description: "The member's Kakao, Apple and Google identities and passkeys (either door's token)"
      },
      {
        name: 'email door: self-service',
        description:
          "Added to the email app's API: password recovery and change, " +
            'proving and changing the email (its error format)'
      },
      {
        name: 'files',
        description: 'The embedded file store: presigned-POST uploads and media, answering as S3 does (XML errors)'
      },
      { name: 'operations', description: 'Liveness and readiness probes' },
      {
        name: 'phone door',
        description: 'The phone app: phone sign-up, admin approval, SMS code login, access + refresh tokens (DRF style)'
      },
      {
        name: 'phone door: providers and passkeys',
        description: 'Kakao, Apple or Google ID tokens and passkeys signing in, answered as the phone app expects'
      },
      {
        name: 'phone door: self-service',
        description: "Added to the phone app's API: adding or changing the member's number (its error format)"
      }
    ],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from either door'
        },
        refreshBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A refresh token (phone door)'
        },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The ADMIN_API_KEY' }
      }
    }
  },
  transformObject: finishDocument
}
