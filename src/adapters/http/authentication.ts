import type { FastifyRequest } from 'fastify'
import type { Authenticate, Principal } from '../../application/sign-in/authenticate.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal | null }
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i

export function bearerToken (request: FastifyRequest): string | null {
  const header = request.headers.authorization
  return header === undefined ? null : BEARER.exec(header)?.[1] ?? null
}

/** A preHandler that admits only a live access token of either door and records its principal. */
export function requireUser (authenticate: Authenticate) {
  return async function requireUserHook (request: FastifyRequest): Promise<void> {
    request.principal = await authenticate(bearerToken(request))
  }
}

/** The principal of a route guarded by requireUser. */
export function principalOf (request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route is missing the requireUser hook')
  return request.principal
}

/** The app's User-Agent as a member will read it in their session list (cut; null when absent). */
export function userAgentOf (request: FastifyRequest): string | null {
  const agent = request.headers['user-agent']
  return agent === undefined || agent === '' ? null : agent.slice(0, 200)
}
