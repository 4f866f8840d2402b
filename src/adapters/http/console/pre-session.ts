import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The sign-in form has no session to carry a CSRF token yet, so it gets a double-submit token: a
 * random value in a short-lived, HttpOnly, SameSite=Strict cookie and the same value in the form.
 * Another site can make a browser post the form but can neither read nor set the cookie, so it
 * cannot sign a reviewer into an account of its choosing (login CSRF).
 */
export const PRE_SESSION_FIELD = '_pre'

const cookieName = (request: FastifyRequest) => request.protocol === 'https' ? '__Host-console-pre' : 'console-pre'

export function issuePreSession (request: FastifyRequest, reply: FastifyReply): string {
  const token = randomBytes(24).toString('base64url')
  const secure = request.protocol === 'https' ? '; Secure' : ''
  reply.header('set-cookie', `${cookieName(request)}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=900${secure}`)
  return token
}

/** The token this visitor's pre-session cookie holds, or null: the sign-in form must carry it back. */
export function preSessionToken (request: FastifyRequest): string | null {
  const name = cookieName(request)
  const cookie = (request.headers.cookie ?? '')
    .split(';')
    .map(part => part.trim())
    .find(part => part.startsWith(`${name}=`))
  const token = cookie?.slice(name.length + 1) ?? ''
  return token === '' ? null : token
}
