import type { IncomingHttpHeaders } from 'node:http'
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify'
import { isDoorRoute } from './errors/error-reply.js'

/** What a door route takes unless its schema says otherwise (`consumes`, as the OpenAPI document shows it). */
const JSON_ONLY: readonly string[] = ['application/json']
/** Methods Fastify never reads a body for. */
const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'TRACE'])

/**
 * A request carries a body when it is chunked or declares a length above zero (RFC 9112 §6.3).
 * Anything else has none, whatever its `Content-Type` says: mobile clients send one on every POST.
 */
export function hasBody (headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) !== 0
}

/** The media types a route takes: its schema's `consumes`, else JSON alone. */
function mediaTypesOf (request: FastifyRequest): readonly string[] {
  const schema = request.routeOptions.schema as { consumes?: readonly string[] } | undefined
  return schema?.consumes ?? JSON_ONLY
}

/**
 * Which bodies the door routes take, decided from the headers before anything is read.
 *
 * A body must come in a media type the route takes: JSON, except where the route's schema lists
 * others (`consumes`; only the OAuth2 form login `POST /auth/login`, which takes the form alone).
 * Forms, multipart and text are what any web page can post cross-site without a CORS preflight,
 * so such a body on a JSON route is a 415, never parsed. The form login takes no JSON: FastAPI,
 * whose clients it serves, never did, its document lists the form alone, and `/auth/login/json`
 * is the JSON twin.
 * (Taking JSON there would have been harmless, since a cross-site JSON post needs a preflight
 * this service never grants; refusing it keeps one rule: a route takes what its document says.)
 *
 * A request without a body passes whatever its `Content-Type`: a route that needs one answers its
 * 400 through validation, a bodiless one (logout, account deletion, approval) just runs. A route
 * that reads no body still takes a JSON one (`{}` from a client library) and ignores it.
 * Install before the routes are registered.
 */
export function installBodyPolicy (app: FastifyInstance): void {
  app.addHook('preParsing', async (request, reply) => {
    if (BODYLESS_METHODS.has(request.method) || !hasBody(request.headers)) return
    if (!isDoorRoute(request.routeOptions.url)) return
    // Size first, whatever the type (as the parser would for a type it takes): one order on every
    // route, 413 then 415 then 400. The connection closes, as after a parser's refusal, so the
    // unread rest is discarded within body-limits.ts's bounds rather than all of it read.
    const tooLarge = Number(request.headers['content-length'] ?? 0) > request.routeOptions.bodyLimit
    if (!tooLarge && mediaTypesOf(request).includes(request.mediaType ?? '')) return
    reply.header('connection', 'close')
    throw tooLarge ? new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE() : new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE()
  })

  // Types no parser knows (text/plain, none at all): an empty body is no body; any other is a 415,
  // refused without reading it. An unknown route stays a 404 whatever it was sent.
  app.addContentTypeParser('*', (request, _payload, done) => {
    if (request.is404 || !hasBody(request.headers)) done(null, undefined)
    else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined)
  })
}
