import { createHash } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { CONSOLE_CSS } from './console-css.js'
import { QUEUE_CSS } from './queue-css.js'

export const CONSOLE_CSS_PATH = '/console/assets/console.css'

// Built once at start: the bytes, and a version from their hash.
const body = Buffer.from(CONSOLE_CSS + QUEUE_CSS, 'utf8')
const version = createHash('sha256').update(body).digest('base64url').slice(0, 16)
const etag = `"${version}"`

/**
 * What pages put in `<link rel="stylesheet" href>`: the path with the stylesheet's version, so a
 * browser may keep it for a year and still fetches the new one after a deploy changes it.
 */
export const CONSOLE_CSS_HREF = `${CONSOLE_CSS_PATH}?v=${version}`

/** Serves the console's stylesheet (any `v`: the query only busts caches). No session needed. */
export const consoleAssetRoutes: FastifyPluginAsync = async (app) => {
  app.get(CONSOLE_CSS_PATH, { schema: { hide: true } }, async (request, reply) => {
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.send(body)
  })
}
