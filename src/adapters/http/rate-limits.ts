import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest, RouteOptions, preHandlerAsyncHookHandler } from 'fastify'
import type { HitCounter } from '../../application/ports/hit-counter.js'
import type { PhoneParser } from '../../application/ports/phone-parser.js'
import { ThrottledError } from '../../domain/errors.js'

export interface RateLimitSettings {
  enabled: boolean
  /** Requests per client address per route per window. */
  perAddress: { max: number, windowSeconds: number }
  /** Requests per phone number or email per route per window, whatever address they come from. */
  perTarget: { max: number, windowSeconds: number }
  /** Client addresses never limited (health checkers, the benchmark). */
  allowList: string[]
}

/** The routes an attacker drives (SMS pumping, code guessing, credential stuffing, sign-up spam). */
const LIMITED_ROUTES = new Set(['/api/auth/mobile/', '/api/token/', '/api/registration/', '/api/sign-s3/', '/auth/login/json', '/auth/login', '/auth/register'])

/** The target of a request: the number (in E.164, however it was typed) or the email, lower-cased. */
function targetOf (request: FastifyRequest, phones: PhoneParser): string | null {
  const body = request.body as Record<string, unknown> | undefined
  if (body === undefined || body === null || typeof body !== 'object') return null
  if (typeof body.mobile === 'string') return 'tel:' + (phones.parse(body.mobile) ?? body.mobile.replace(/\D/g, ''))
  const email = typeof body.email === 'string' ? body.email : typeof body.username === 'string' ? body.username : null
  return email === null ? null : 'mail:' + email.trim().toLowerCase()
}

/**
 * Abuse limits shared by every instance: counted in Redis when there is one (else in this
 * process). The client address is Fastify's `request.ip`, which believes X-Forwarded-For only
 * from proxies TRUST_PROXY names. Must be installed before the routes are registered.
 */
export async function installRateLimits (app: FastifyInstance, settings: RateLimitSettings, phones: PhoneParser, stores: { redis: unknown | null, hits: HitCounter }): Promise<void> {
  if (!settings.enabled) return
  const allowed = new Set(settings.allowList)
  const { max, windowSeconds } = settings.perTarget
  // After validation (a preHandler), so the target is read from a body of the right shape.
  const perTarget: preHandlerAsyncHookHandler = async (request) => {
    if (allowed.has(request.ip)) return
    const target = targetOf(request, phones)
    if (target === null) return
    try {
      const { count, resetInMs } = await stores.hits.hit(`${request.routeOptions.url}|${target}`, windowSeconds * 1000)
      if (count > max) throw new ThrottledError(Math.max(1, Math.ceil(resetInMs / 1000)))
    } catch (error) {
      if (error instanceof ThrottledError) throw error
      // Redis down: the limiter steps aside; the routes that need Redis answer 503 themselves.
    }
  }
  // Added before the plugin's own onRoute hook, so the plugin sees the config set here.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!LIMITED_ROUTES.has(route.url) || route.method !== 'POST') return
    route.config = { ...(route.config as object | undefined), rateLimit: { max: settings.perAddress.max, timeWindow: settings.perAddress.windowSeconds * 1000 } }
    const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]
    route.preHandler = [perTarget, ...existing]
  })
  await app.register(rateLimit, {
    global: false,
    ...(stores.redis === null ? {} : { redis: stores.redis, nameSpace: 'rate:' }),
    skipOnError: true,
    allowList: (request) => allowed.has(request.ip),
    errorResponseBuilder: (_request, context) => new ThrottledError(Math.max(1, Math.ceil(context.ttl / 1000)))
  })
}
