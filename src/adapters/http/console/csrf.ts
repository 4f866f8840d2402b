import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { StaffSession } from '../../../application/ports/shared-state/staff-session-store.js'

/** The hidden form field that carries the session's synchronizer token back. */
export const CSRF_FIELD = '_csrf'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * True when a submitted form carries its session's token. Another site can make a browser post a
 * form, but cannot read a console page to learn the token. Constant time, so a wrong guess
 * teaches nothing about how much of it was right; the length is no secret (always 43).
 */
export function checkCsrf (session: Pick<StaffSession, 'csrfToken'>, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || session.csrfToken === '') return false
  const expected = Buffer.from(session.csrfToken)
  const given = Buffer.from(submitted)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** A field of a posted form: a string, or undefined (absent, repeated, or no form at all). */
export function formField (body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const value: unknown = Reflect.get(body, name)
  return typeof value === 'string' ? value : undefined
}

/**
 * The one CSRF check of every state-changing console route: refused when the request plainly
 * comes from another site, or when its form's `field` does not carry `expected` (the session's
 * token, or before sign-in the pre-session cookie's). No expected token refuses too.
 */
export function isForgedWrite (request: FastifyRequest, expected: string | null, field: string = CSRF_FIELD): boolean {
  if (isCrossOriginWrite(request)) return true
  // A repeated field is an array, not a token: formField answers undefined, which never matches.
  return expected === null || !checkCsrf({ csrfToken: expected }, formField(request.body, field))
}

/**
 * True when a state-changing request plainly comes from another site: its Origin header is
 * present and is not this request's own origin (`null`, sent from sandboxed and privacy-sensitive
 * contexts, counts as foreign), or its Sec-Fetch-Site says cross-site or same-site (a sibling
 * subdomain is still not the console). A request with neither header passes here and still
 * needs its token: this is defence in depth, on top of the token and SameSite=Strict.
 *
 * The own origin comes from `request.protocol` and `request.host`, which follow X-Forwarded-Proto
 * and X-Forwarded-Host only from trusted proxies: behind a proxy that is not trusted, every
 * console form post would be refused here.
 */
export function isCrossOriginWrite (request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false
  const site = request.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return true
  const origin = request.headers.origin
  if (origin === undefined) return false
  const own = URL.parse(`${request.protocol}://${request.host}`)
  const claimed = URL.parse(origin)
  // URL.origin lowercases the host and drops a default port, as browsers write Origin.
  return own === null || claimed === null || claimed.origin === 'null' || claimed.origin !== own.origin
}
