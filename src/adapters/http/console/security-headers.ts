import type { FastifyReply } from 'fastify'

export type SecurityHeaders = Readonly<Record<string, string>>

/**
 * The headers of every console response, computed once at start. The pages carry script and style
 * only as files from the console's own origin (no inline script or style), so the policy forbids the rest;
 * images may also come from `imageOrigins` (the S3 bucket's origin, whose short-lived signed links
 * show the verification files), and `data:` for the enrolment QR code.
 *
 * Each entry may be an origin or any http(s) URL on it (a bucket endpoint with a path): only its
 * origin is allowed, so a value can never add a directive of its own. Throws on anything else, at
 * start rather than on a page.
 */
export function consoleSecurityHeaders (imageOrigins: readonly string[] = []): SecurityHeaders {
  const origins = [...new Set(imageOrigins.map(originOf))]
  const csp = [
    "default-src 'none'",
    // Scripts only as files from the console's own origin (the file viewer's zoom and rotate); nothing inline.
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", 'data:', ...origins].join(' '),
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'"
  ].join('; ')
  return Object.freeze({
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    // A page's URL names a member: it must not reach S3 or a link's site. Not `no-referrer`: under it
    // browsers send `Origin: null` on the console's own form posts, which the CSRF check refuses.
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY', // frame-ancestors for browsers that predate it
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    // Pages show personal data: no shared cache or back-button copy keeps them after sign-out.
    'cache-control': 'no-store'
  })
}

/** Sets the console's headers on a reply (a route may then override cache-control, as the stylesheet does). */
export function setSecurityHeaders (reply: FastifyReply, headers: SecurityHeaders): void {
  reply.headers(headers)
}

// The message names no value: a misconfigured endpoint URL might carry credentials.
function originOf (value: string, index: number): string {
  const url = URL.parse(value)
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`console image origin #${index + 1} is not an http(s) URL`)
  }
  return url.origin
}
