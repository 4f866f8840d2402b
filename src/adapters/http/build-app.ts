import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import formBody from '@fastify/formbody'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { UseCases } from '../../application/make-use-cases.js'
import { accountRoutes } from './routes/account-routes.js'
import { adminRoutes } from './routes/admin-routes.js'
import { phoneAccountRoutes } from './routes/phone-account-routes.js'
import { consoleRoutes } from './console/console-routes.js'
import { emailRoutes } from './routes/email-routes.js'
import { phoneRoutes } from './routes/phone-routes.js'
import type { LocalFileStore } from './embedded-file-store.js'
import { installErrorHandler } from './errors/error-handler.js'
import { installTextHygiene } from './text-hygiene.js'
import { installBodyPolicy } from './body-policy.js'
import { clientErrorHandler } from './errors/client-errors.js'
import { sendError } from './errors/error-reply.js'
import { localUploadRoutes } from './routes/local-upload-routes.js'
import { SHARED_COMPILERS } from './schema-compilers.js'
import { installRateLimits, type RateLimitSettings } from './rate-limits.js'
import { healthRoutes, type ReadinessChecks } from './routes/health-routes.js'
import { linkedSignInRoutes } from './routes/linked-sign-in-routes.js'
import { appAssociationRoutes, type AppAssociation } from './routes/app-association-routes.js'
import { installMetrics } from './routes/metrics-routes.js'
import { jwksRoutes } from './routes/jwks-routes.js'
import { publicJwks, type SigningKey } from '../system/signing-keys.js'
import { OPENAPI_OPTIONS } from './schemas/openapi-document.js'
import type { ServiceMetrics } from './service-metrics.js'

export interface HttpSettings {
  trustProxy: boolean | number | string[]
  bodyLimitBytes: number
  mediaBaseUrl: string
  /** Null: the admin routes do not exist (404). */
  adminApiKey: string | null
  uploads: { maxBytes: number }
  rateLimits: RateLimitSettings
  /** Origins besides the service's own that console pages load images from (the S3 bucket's). */
  consoleImageOrigins?: readonly string[]
  /** A port of its own for `/metrics` (served by metrics-server.ts): then the API port has no such route. */
  metrics?: { port: number | null }
  /** The apps that may use this domain's passkeys (the association files); none: both files 404. */
  signIn?: { appAssociation: AppAssociation }
  /** The token keys of JWT_KEYS, whose public halves `/.well-known/jwks.json` serves (none: an empty set). */
  jwt?: { keys: { listed: readonly SigningKey[] | null } }
}

export interface BuildAppOptions {
  useCases: UseCases
  settings: HttpSettings
  readiness: ReadinessChecks
  logger: FastifyBaseLogger
  /** The embedded file store: the app itself takes the uploads and serves the media. */
  localFiles?: LocalFileStore | null
  /** Null (the default): no metrics are kept and `GET /metrics` is an unknown route (404). */
  metrics?: ServiceMetrics | null
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

/** Builds the whole HTTP adapter; never listens, so tests drive it with inject(). */
export async function buildApp ({
  useCases,
  settings,
  readiness,
  logger,
  localFiles = null,
  metrics = null
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    // A hop count is valid at run time (proxy-addr), though Fastify's types omit it.
    trustProxy: settings.trustProxy as boolean | string[],
    bodyLimit: settings.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: request => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
    },
    return503OnClosing: true,
    // The router's own refusals (malformed %-escapes, an over-long path parameter) answer in the
    // door's format too, and never echo the URL back.
    frameworkErrors: (_error, request, reply) => {
      // eslint-disable-next-line no-void -- the reply is sent on its own; this callback returns nothing
      void sendError(request, reply, 'parse_error')
    },
    // What Node's parser refuses before there is a request (a header section over the limit: 431).
    clientErrorHandler: clientErrorHandler(logger),
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: true, useDefaults: true } },
    schemaController: { compilersFactory: SHARED_COMPILERS }
  }).withTypeProvider<TypeBoxTypeProvider>()

  let draining = false
  app.addHook('preClose', async () => {
    draining = true
  })
  app.decorateRequest('principal', null)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    // While draining, in-flight responses close their keep-alive socket, so close() can finish.
    if (draining) reply.header('connection', 'close')
  })
  installErrorHandler(app)
  installTextHygiene(app)
  // Before any route, so it sees every one (each declares its limit in its own options).
  installRateLimits(app, useCases.limits, settings.rateLimits)
  if (metrics !== null) installMetrics(app, metrics, { route: (settings.metrics?.port ?? null) === null })

  // The API speaks JSON (and forms for the OAuth2 login alone, body-policy.ts); plain text gets
  // 415, not a confusing 400.
  app.removeContentTypeParser('text/plain')
  installBodyPolicy(app)
  // An empty JSON body is no body: mobile clients send `Content-Type: application/json` on every
  // POST, even one that carries nothing (logout). A route whose schema needs a body still answers
  // its 400 through validation; anything else goes through Fastify's own safe parser.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined)
    else parseJson(request, body as string, done)
  })
  await app.register(formBody, { bodyLimit: settings.bodyLimitBytes })
  await app.register(swagger, OPENAPI_OPTIONS)
  await app.register(swaggerUi, { routePrefix: '/docs' })

  await app.register(healthRoutes, { checks: readiness, isDraining: () => draining })
  await app.register(jwksRoutes, { jwks: publicJwks(settings.jwt?.keys.listed ?? []) })
  await app.register(emailRoutes, { useCases })
  await app.register(phoneRoutes, { useCases, mediaBaseUrl: settings.mediaBaseUrl })
  await app.register(accountRoutes, { useCases })
  await app.register(phoneAccountRoutes, { useCases, mediaBaseUrl: settings.mediaBaseUrl })
  await app.register(linkedSignInRoutes, { useCases, mediaBaseUrl: settings.mediaBaseUrl })
  await app.register(appAssociationRoutes, settings.signIn?.appAssociation ?? { appleAppIds: [], androidApps: [] })
  if (localFiles !== null) {
    await app.register(localUploadRoutes, { store: localFiles, maxUploadBytes: settings.uploads.maxBytes })
  }
  await app.register(consoleRoutes, {
    useCases,
    mediaBaseUrl: settings.mediaBaseUrl,
    imageOrigins: settings.consoleImageOrigins ?? []
  })
  if (settings.adminApiKey !== null) {
    await app.register(adminRoutes, {
      useCases,
      mediaBaseUrl: settings.mediaBaseUrl,
      adminApiKey: settings.adminApiKey
    })
  }
  return app
}
