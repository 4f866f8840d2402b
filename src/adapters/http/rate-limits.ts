import { BlockList, isIPv4 } from 'node:net'
import type { FastifyInstance, RouteOptions, onRequestAsyncHookHandler } from 'fastify'
import type { AbuseLimits } from '../../application/abuse-limits.js'

export interface RateLimitSettings {
  /** Addresses or CIDRs exempt from the per-address request limit only (health checkers, the benchmark). */
  allowList: string[]
}

/** The routes an attacker drives (SMS pumping, code guessing, credential stuffing, sign-up spam). */
const LIMITED_ROUTES = new Set(['/api/auth/mobile/', '/api/token/', '/api/registration/', '/api/sign-s3/', '/auth/login/json', '/auth/login', '/auth/register', '/console/sign-in', '/console/second-factor',
  '/auth/password/forgot', '/auth/password/reset', '/auth/password/change', '/auth/email/verify/request', '/auth/email/verify', '/api/users/me/mobile/', '/api/users/me/mobile/verify/', '/auth/email'])

/**
 * The per-address request limit on the abused routes. The client address is Fastify's
 * `request.ip`, which believes X-Forwarded-For only from proxies TRUST_PROXY names. The rules and
 * their counters are the application's (abuse-limits.ts); the guess and SMS limits there apply to
 * allow-listed addresses too, so an office or a monitor is never a free guessing point. Install
 * before the routes are registered.
 */
export function installRateLimits (app: FastifyInstance, limits: AbuseLimits, { allowList }: RateLimitSettings): void {
  const exempt = compileAllowList(allowList)
  // Before the body is read: a refused client costs no parsing.
  const perAddress: onRequestAsyncHookHandler = async (request) => {
    if (exempt(request.ip)) return
    await limits.admitRequest(request.routeOptions.url ?? request.url, request.ip)
  }
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!LIMITED_ROUTES.has(route.url) || (route.method !== 'POST' && route.method !== 'PUT')) return
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
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
