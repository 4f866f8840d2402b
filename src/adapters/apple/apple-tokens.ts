import { importPKCS8, SignJWT } from 'jose'
import type { AppleTokens } from '../../application/ports/outbound/apple-tokens.js'
import type { Clock } from '../../application/ports/system/clock.js'
import { ProviderUnavailableError } from '../../domain/errors.js'

export interface AppleTokensOptions {
  /** The Apple Developer team id: the client secret's issuer. */
  teamId: string
  /** The id of the Sign in with Apple key: the client secret's `kid`. */
  keyId: string
  /** The team's ES256 key (the .p8 file) as PKCS#8 PEM; never put in an error. */
  privateKey: string
  /** https://appleid.apple.com, or a stand-in. */
  authUrl?: string
  timeoutMs: number
  clock: Clock
}

/**
 * The audience Apple checks in every client secret. It names Apple, not the address the request
 * goes to, so it stays this value when `authUrl` points at a stand-in.
 */
export const APPLE_AUDIENCE = 'https://appleid.apple.com'
/** Apple accepts a client secret for up to six months; an hour limits what a leaked one is worth. */
export const CLIENT_SECRET_LIFE_SECONDS = 3600
/** Renewed this long before it expires, so a secret never expires in flight or on a skewed clock. */
export const CLIENT_SECRET_RENEW_BEFORE_SECONDS = 300

/**
 * Sign in with Apple's token endpoints (POST /auth/token and /auth/revoke, form-encoded), with a
 * client secret that is a JWT signed ES256 by the team's key, one per client id (its `sub`),
 * reused until five minutes before it expires.
 *
 * Every failure (a status Apple does not document as a refusal of the code, a body that is not
 * JSON, a network error, the deadline) is ProviderUnavailableError naming the endpoint and the
 * status, the OAuth error or the network code only: never the code, the secret or a token.
 *
 * The key is read here, so a key that is not PKCS#8 ES256 stops the service at start-up rather
 * than failing every sign-in later.
 */
export async function createAppleTokens (options: AppleTokensOptions): Promise<AppleTokens> {
  const { teamId, keyId, timeoutMs, clock } = options
  const authUrl = (options.authUrl ?? APPLE_AUDIENCE).replace(/\/+$/, '')
  const key = await importKey(options.privateKey)
  const secrets = new Map<string, { secret: string, renewAt: number }>()

  async function clientSecret (clientId: string): Promise<string> {
    const now = Math.floor(clock.now().getTime() / 1000)
    const cached = secrets.get(clientId)
    if (cached !== undefined && now < cached.renewAt) return cached.secret
    const secret = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: keyId })
      .setIssuer(teamId)
      .setIssuedAt(now)
      .setExpirationTime(now + CLIENT_SECRET_LIFE_SECONDS)
      .setAudience(APPLE_AUDIENCE)
      .setSubject(clientId)
      .sign(key)
    secrets.set(clientId, { secret, renewAt: now + CLIENT_SECRET_LIFE_SECONDS - CLIENT_SECRET_RENEW_BEFORE_SECONDS })
    return secret
  }

  async function post (endpoint: Endpoint, clientId: string, fields: Record<string, string>): Promise<Answer> {
    const form = new URLSearchParams({ client_id: clientId, client_secret: await clientSecret(clientId), ...fields })
    try {
      // The signal bounds the body too: an answer that trickles in is cut at the same deadline.
      const response = await fetch(`${authUrl}${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(timeoutMs)
      })
      return { status: response.status, body: await response.text() }
    } catch (error) {
      throw new ProviderUnavailableError(describeFailure(endpoint, error, timeoutMs))
    }
  }

  return {
    async exchange (authorizationCode, clientId) {
      const endpoint = '/auth/token'
      const { status, body } = await post(endpoint, clientId, {
        code: authorizationCode,
        grant_type: 'authorization_code'
      })
      const answer = parseJson(body)
      if (status === 200) {
        const refreshToken = (answer as { refresh_token?: unknown } | undefined)?.refresh_token
        if (typeof refreshToken === 'string' && refreshToken !== '') return refreshToken
        throw new ProviderUnavailableError(answer === undefined
          ? `apple answered ${endpoint} with something other than JSON`
          : `apple answered ${endpoint} without a refresh token`)
      }
      const oauthError = oauthErrorOf(answer)
      // The code is bad, used, expired or another client's: the member's to fix, not Apple's.
      if (status === 400 && oauthError === 'invalid_grant') return null
      throw new ProviderUnavailableError(describeRefusal(endpoint, status, answer, oauthError))
    },

    async revoke (refreshToken, clientId) {
      const endpoint = '/auth/revoke'
      const { status, body } = await post(endpoint, clientId, {
        token: refreshToken,
        token_type_hint: 'refresh_token'
      })
      // Apple answers 200 for a token already revoked too, so a retried revocation ends here.
      if (status === 200) return
      const answer = parseJson(body)
      throw new ProviderUnavailableError(describeRefusal(endpoint, status, answer, oauthErrorOf(answer)))
    }
  }
}

type Endpoint = '/auth/token' | '/auth/revoke'
interface Answer { status: number, body: string }

async function importKey (pem: string) {
  try {
    return await importPKCS8(pem, 'ES256')
  } catch {
    // No cause: the parser's error may quote the key.
    throw new Error('the Sign in with Apple private key is not an ES256 key in PKCS#8 PEM')
  }
}

function parseJson (body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

/** The OAuth `error` of an answer, when it is one of the short names OAuth uses (Apple may add its own). */
function oauthErrorOf (answer: unknown): string | null {
  const error = (answer as { error?: unknown } | null | undefined)?.error
  return typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : null
}

function describeRefusal (endpoint: Endpoint, status: number, answer: unknown, oauthError: string | null): string {
  // Our key, key id, team id or client id is wrong: an operator has to fix the configuration.
  if (oauthError === 'invalid_client') return `apple refused our client secret on ${endpoint} (invalid_client)`
  if (answer === undefined) return `apple answered ${endpoint} with ${status} and something other than JSON`
  return `apple answered ${endpoint} with ${status}${oauthError === null ? '' : ` ${oauthError}`}`
}

function describeFailure (endpoint: Endpoint, error: unknown, timeoutMs: number): string {
  // AbortSignal.timeout aborts with a TimeoutError, whether headers or body were still awaited.
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `apple did not answer ${endpoint} within ${timeoutMs} ms`
  }
  // fetch wraps network failures in a TypeError whose cause carries the system error code.
  const { code } = ((error as { cause?: unknown } | null)?.cause ?? {}) as { code?: unknown }
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return `apple unreachable on ${endpoint} (${code})`
  return `apple request to ${endpoint} failed (${error instanceof Error ? error.name : 'unknown'})`
}
