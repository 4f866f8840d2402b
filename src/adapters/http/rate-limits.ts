import { BlockList, isIPv4 } from 'node:net'
import type { FastifyInstance, HTTPMethods, RouteOptions, onRequestAsyncHookHandler } from 'fastify'
import type { AbuseLimits } from '../../application/security/abuse-limits.js'
import { clientKey } from '../../domain/client-network.js'

export interface RateLimitSettings {
  /** Addresses or CIDRs exempt from the per-address request limit only (health checkers, the benchmark). */
  allowList: string[]
}

/**
 * What a route says about the per-address request limit, in its own options:
 * `config: { limit: 'perAddress' }` on a route an attacker drives (SMS pumping, code guessing,
 * credential stuffing, sign-up spam), or `config: { limit: { exempt: 'why' } }`, the reason a
 * state-changing route needs none (a valid token, the admin key, a staff session).
 */
export type RouteLimit = 'perAddress' | { exempt: string }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's per-address request limit, or why it has none (rate-limits.ts). */
    limit?: RouteLimit
  }
}

/** One method of one route as installRateLimits saw it; `limit` null: the route declared nothing. */
export interface DeclaredLimit {
  method: HTTPMethods
  url: string
  limit: RouteLimit | null
}

const declared = new WeakMap<FastifyInstance, DeclaredLimit[]>()

/** Every route registered after installRateLimits, with what it declared (test/http/route-limits.test.ts walks it). */
export function declaredLimits (app: FastifyInstance): readonly DeclaredLimit[] {
  return declared.get(app) ?? []
}

/**
 * The per-address request limit on the routes that declare `limit: 'perAddress'`; install it
 * before any route is registered, so every route is seen (and recorded for declaredLimits). A
 * client is counted by clientKey: an IPv4 address as it is, an IPv6 address by its /64, since one
 * subscriber holds a whole /64 and would otherwise get a fresh budget per address. The address is
 * Fastify's `request.ip`, which believes X-Forwarded-For only from proxies TRUST_PROXY names. The
 * rules and their counters are the application's (abuse-limits.ts); the guess and SMS limits there
 * apply to allow-listed addresses too, so an office or a monitor is never a free guessing point.
 */
export function installRateLimits (app: FastifyInstance, limits: AbuseLimits, { allowList }: RateLimitSettings): void {
  const exempt = compileAllowList(allowList)
  const seen: DeclaredLimit[] = []
  declared.set(app, seen)
  // Before the body is read: a refused client costs no parsing.
  const perAddress: onRequestAsyncHookHandler = async (request) => {
    if (exempt(request.ip)) return
    await limits.admitRequest(request.routeOptions.url ?? request.url, clientKey(request.ip))
  }
  app.addHook('onRoute', (route: RouteOptions) => {
    const limit = route.config?.limit ?? null
    for (const method of [route.method].flat()) seen.push({ method, url: route.url, limit })
    if (limit !== 'perAddress') return
    const existing =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
    route.onRequest = [perAddress, ...existing]
  })
}

/** Exact addresses and CIDRs, IPv4 and IPv6; an IPv4-mapped IPv6 address matches its IPv4 form. */
export function compileAllowList (entries: string[]): (address: string) => boolean {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/')
    const type = isIPv4(address) ? 'ipv4' : 'ipv6'
    if (prefix === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(prefix), type)
  }
  return (address) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
    return list.check(mapped ?? address, isIPv4(mapped ?? address) ? 'ipv4' : 'ipv6')
  }
}
