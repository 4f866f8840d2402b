import { createLocalJWKSet, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from 'jose'
import type { Clock } from '../../application/ports/system/clock.js'
import { ProviderUnavailableError } from '../../domain/errors.js'

/** Keys kept this long when the answer does not say (no Cache-Control, no-store, no-cache). */
export const DEFAULT_MAX_AGE_MS = 5 * 60_000
/** Never longer than a day, whatever the answer says: a key the provider withdrew stops verifying within it. */
export const MAX_AGE_CAP_MS = 24 * 3600_000
/** A max-age below this is raised to it: a provider answering max-age=0 would otherwise be asked every sign-in. */
export const MIN_MAX_AGE_MS = 60_000
/**
 * At most one fetch per provider in this window for a `kid` we do not know, and no new attempt this
 * soon after a failed one: a flood of made-up kids, or a provider that is down, costs the provider
 * one request per window, not one per sign-in.
 */
export const REFETCH_INTERVAL_MS = 30_000

export interface JwksCacheOptions {
  /** Named in errors and logs: kakao, apple, google. */
  name: string
  url: string
  /** One fetch, body included, must finish within this. */
  timeoutMs: number
  clock: Clock
}

export interface JwksCache {
  /** A key resolver for jose's jwtVerify. Throws ProviderUnavailableError when there are no keys to try. */
  getKey (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey>
}

interface Keys {
  resolve: ReturnType<typeof createLocalJWKSet>
  kids: Set<string>
  /** Epoch ms after which the keys are fetched again before use. */
  expiresAt: number
}

/**
 * A provider's published signing keys (its JWKS), kept as long as its `Cache-Control: max-age`
 * allows (capped at a day), fetched again before that for a `kid` it does not hold, since providers
 * start signing with a new key soon after publishing it. Concurrent callers that need a fetch share
 * one. A failed fetch while the keys are still fresh keeps them in use; with no fresh keys it is
 * ProviderUnavailableError. Keys past their max-age are not used: they may be ones the provider withdrew.
 */
export function createJwksCache ({ name, url, timeoutMs, clock }: JwksCacheOptions): JwksCache {
  let keys: Keys | null = null
  let inFlight: Promise<Keys> | null = null
  let lastAttemptAt = Number.NEGATIVE_INFINITY
  let lastUnknownKidFetchAt = Number.NEGATIVE_INFINITY
  let lastFailure: ProviderUnavailableError | null = null

  const fetchKeys = (): Promise<Keys> => {
    if (inFlight !== null) return inFlight
    lastAttemptAt = clock.now().getTime()
    inFlight = download(name, url, timeoutMs, clock)
      .then((fresh) => {
        keys = fresh
        lastFailure = null
        return fresh
      }, (error: unknown) => {
        lastFailure = error instanceof ProviderUnavailableError
          ? error
          : new ProviderUnavailableError(`${name} keys unavailable`)
        throw lastFailure
      })
      .finally(() => { inFlight = null })
    return inFlight
  }

  const within = (at: number) => clock.now().getTime() - at < REFETCH_INTERVAL_MS

  /** Fresh keys, fetched if there are none; a recent failure answers at once rather than asking again. */
  const freshKeys = async (): Promise<Keys> => {
    if (keys !== null && clock.now().getTime() < keys.expiresAt) return keys
    if (inFlight !== null) return inFlight
    if (lastFailure !== null && within(lastAttemptAt)) throw lastFailure
    return fetchKeys()
  }

  return {
    async getKey (header, token) {
      let current = await freshKeys()
      if (header.kid !== undefined && !current.kids.has(header.kid)) {
        // An unknown kid: maybe a key published since the last fetch. Join a fetch under way, or start
        // one unless an unknown kid started one in the window; a failure here keeps the keys we have.
        if (inFlight === null && !within(lastUnknownKidFetchAt)) {
          lastUnknownKidFetchAt = clock.now().getTime()
          current = await fetchKeys().catch(() => current)
        } else if (inFlight !== null) {
          current = await inFlight.catch(() => current)
        }
      }
      // Without a matching key this throws jose's JWKSNoMatchingKey: the token is refused, not the provider.
      return await current.resolve(header, token)
    }
  }
}

async function download (name: string, url: string, timeoutMs: number, clock: Clock): Promise<Keys> {
  let response: Response
  let body: unknown
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
    if (!response.ok) {
      await response.body?.cancel()
      throw new ProviderUnavailableError(`${name} keys answered HTTP ${response.status}`)
    }
    body = await response.json()
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw error
    throw new ProviderUnavailableError(describe(name, error, timeoutMs))
  }
  if (!isKeySet(body)) throw new ProviderUnavailableError(`${name} keys answered something other than a JWKS`)
  const kids = new Set(body.keys.flatMap(key => typeof key.kid === 'string' ? [key.kid] : []))
  return {
    resolve: createLocalJWKSet(body),
    kids,
    expiresAt: clock.now().getTime() + maxAgeMs(response.headers.get('cache-control'))
  }
}

/** How long the answer may be kept, by its Cache-Control header. */
export function maxAgeMs (cacheControl: string | null): number {
  if (cacheControl === null) return DEFAULT_MAX_AGE_MS
  const directives = cacheControl.toLowerCase().split(',').map(part => part.trim())
  if (directives.includes('no-store') || directives.includes('no-cache')) return DEFAULT_MAX_AGE_MS
  const maxAge = directives.map(part => /^max-age\s*=\s*"?(\d+)"?$/.exec(part)).find(match => match !== null)
  if (maxAge === undefined) return DEFAULT_MAX_AGE_MS
  return Math.min(MAX_AGE_CAP_MS, Math.max(MIN_MAX_AGE_MS, Number(maxAge![1]) * 1000))
}

function isKeySet (body: unknown): body is JSONWebKeySet {
  if (typeof body !== 'object' || body === null) return false
  const { keys } = body as { keys?: unknown }
  return Array.isArray(keys) && keys.every(key => typeof key === 'object' && key !== null && !Array.isArray(key))
}

/** The failure's kind only (a timeout, a network code): never a response body. */
function describe (name: string, error: unknown, timeoutMs: number): string {
  const kind = (error as { name?: unknown }).name
  if (kind === 'TimeoutError' || kind === 'AbortError') return `${name} keys did not answer within ${timeoutMs} ms`
  if (kind === 'SyntaxError') return `${name} keys answered something other than JSON`
  const cause = (error as { cause?: { code?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? cause.code : 'network error'
  return `${name} keys unreachable (${code})`
}
