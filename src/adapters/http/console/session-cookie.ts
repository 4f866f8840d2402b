import type { FastifyReply, FastifyRequest } from 'fastify'

// Over TLS the `__Host-` prefix makes the browser refuse the cookie unless it is Secure, has
// Path=/ and no Domain: a sibling subdomain or a plain-HTTP answer cannot plant or overwrite it
// (session fixation). Plain HTTP (a laptop, the embedded default) cannot use the prefix.
const TLS_NAME = '__Host-console'
const PLAIN_NAME = 'console'

// What the store issues (base64url); anything else is not worth a lookup.
const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/

/** The cookie's name for this request: `request.protocol` honours the proxies the app trusts. */
export function sessionCookieName (request: FastifyRequest): string {
  return request.protocol === 'https' ? TLS_NAME : PLAIN_NAME
}

/**
 * The session id the browser sent, or null. Over TLS only the `__Host-` cookie counts, never a
 * plain `console` cookie that anyone on the network path could have set. Two different values
 * under the name answer null: one of them was planted, and which one cannot be told.
 */
export function readSessionId (request: FastifyRequest): string | null {
  const header = request.headers.cookie
  if (header === undefined) return null
  const name = sessionCookieName(request)
  const values = new Set<string>()
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=')
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue
    values.add(pair.slice(equals + 1).trim())
  }
  if (values.size !== 1) return null
  const [value] = values
  return SESSION_ID.test(value!) ? value! : null
}

/**
 * Hands the browser its session id: HttpOnly (no script reads it), SameSite=Strict (no other
 * site's page sends it), Secure over TLS, and no Max-Age or Expires, so it dies with the browser
 * session; the server enforces the idle and absolute timeouts itself.
 */
export function setSessionCookie (request: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  // Never a value that could end the cookie early and smuggle in attributes of its own.
  if (!SESSION_ID.test(sessionId)) throw new Error('not a session id')
  reply.header('set-cookie', `${sessionCookieName(request)}=${sessionId}${attributes(request)}`)
}

/** Makes the browser forget the session cookie (sign-out, or a session the server no longer has). */
export function clearSessionCookie (request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', `${sessionCookieName(request)}=; Max-Age=0${attributes(request)}`)
}

// The same attributes when clearing: a browser only replaces a `__Host-` cookie with a Secure one.
function attributes (request: FastifyRequest): string {
  return `; Path=/; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`
}
