import { createHash } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { CONSOLE_CSS } from './console-css.js'
import { IDENTITY_CSS } from './identity-css.js'
import { QUEUE_CSS } from './queue-css.js'
import { SIGN_INS_CSS } from './sign-ins-css.js'

/** A file of the console's own (stylesheet, script): where pages link it, and its route. */
export interface StaticAsset {
  /**
   * What pages put in `href` or `src`: the path with the file's version, so a browser may keep it
   * for a year and still fetches the new one after a deploy changes it.
   */
  href: string
  /** Serves the file at its path (any `v`: the query only busts caches). No session needed. */
  routes: FastifyPluginAsync
}

/** The bytes and a version from their hash, built once at start; a matching If-None-Match gets 304. */
export function staticAsset (path: string, contentType: string, text: string): StaticAsset {
  const body = Buffer.from(text, 'utf8')
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16)
  const etag = `"${version}"`
  return {
    href: `${path}?v=${version}`,
    routes: async (app) => {
      app.get(path, { schema: { hide: true } }, async (request, reply) => {
        reply
          .header('content-type', contentType)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('etag', etag)
        if (request.headers['if-none-match'] === etag) return reply.code(304).send()
        return reply.send(body)
      })
    }
  }
}

export const CONSOLE_CSS_PATH = '/console/assets/console.css'

const stylesheet = staticAsset(
  CONSOLE_CSS_PATH,
  'text/css; charset=utf-8',
  CONSOLE_CSS + QUEUE_CSS + IDENTITY_CSS + SIGN_INS_CSS
)

/** The console's stylesheet, in every page's `<link rel="stylesheet">`. */
export const CONSOLE_CSS_HREF = stylesheet.href
export const consoleAssetRoutes = stylesheet.routes
