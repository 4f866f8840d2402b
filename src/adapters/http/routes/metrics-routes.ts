import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ServiceMetrics } from '../service-metrics.js'

/** The login routes, by method and route pattern, and the door each belongs to. */
const LOGIN_ROUTES = new Map<string, 'phone' | 'email'>([
  ['POST /api/token/', 'phone'],
  ['POST /auth/login/json', 'email'],
  ['POST /auth/login', 'email']
])

/** A login's outcome from its status; the error table fixes which code answers with which status. */
function loginOutcome (door: 'phone' | 'email', status: number): string {
  if (status >= 200 && status < 300) return 'success'
  if (status === 401) return door === 'phone' ? 'bad_code' : 'bad_credentials'
  if (status === 429) return 'throttled'
  if (status === 403 || status === 404 || status === 406) return 'not_allowed' // unknown, pending or rejected member
  if (status >= 500) return 'error'
  return 'invalid_input'
}

/**
 * Counts every answer and serves `GET /metrics` (Prometheus text). Labels are route patterns,
 * never raw URLs (ids would make a series per member); what matched no route is `unmatched`.
 * Install before the routes, so the hook covers them all.
 */
export function installMetrics (
  app: FastifyInstance,
  metrics: ServiceMetrics,
  { route = true }: { route?: boolean } = {}
): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    if (route === '/metrics') return
    const { method } = request
    const status = reply.statusCode
    const labels = { method, route, status_code: String(status) }
    metrics.httpRequests.inc(labels)
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000)
    if (status === 429) metrics.throttled.inc({ method, route })
    const door = LOGIN_ROUTES.get(`${method} ${route}`)
    if (door !== undefined) metrics.logins.inc({ door, outcome: loginOutcome(door, status) })
  })

  if (!route) return
  // Not in the rate-limited set and hidden from /docs: scraped on the pod port, never public.
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
