import { createHash, randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The console browser's own id, OWASP's "device cookie": a random 256-bit value the browser keeps
 * for 30 days. The limits count a sign-in from a browser known for that staff email by it rather
 * than by its address (application/staff-sign-in.ts), so a reviewer's own browser is not held by
 * strangers' wrong passwords. It proves nothing by itself: an id becomes known only when a sign-in
 * from it succeeds, and an unknown one is counted by address, as a browser without one is; so
 * minting ids gains an attacker nothing. The service keeps only its SHA-256.
 */
const cookieName = (request: FastifyRequest) =>
  request.protocol === 'https' ? '__Host-console-device' : 'console-device'
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/
const THIRTY_DAYS_S = 30 * 86_400

/** The browser's device id, hashed, minting (and setting) one when it has none. */
export function deviceOf (request: FastifyRequest, reply: FastifyReply): string {
  const name = cookieName(request)
  const sent = (request.headers.cookie ?? '')
    .split(';')
    .map(part => part.trim())
    .find(part => part.startsWith(`${name}=`))
    ?.slice(name.length + 1)
  const id = sent !== undefined && DEVICE_ID.test(sent) ? sent : randomBytes(32).toString('base64url')
  // Renewed on every sign-in attempt: a browser in use keeps its id past 30 days.
  const secure = request.protocol === 'https' ? '; Secure' : ''
  reply.header('set-cookie', `${name}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${THIRTY_DAYS_S}${secure}`)
  return createHash('sha256').update(id).digest('base64url')
}
