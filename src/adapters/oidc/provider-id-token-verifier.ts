import { createHash } from 'node:crypto'
import { errors, jwtVerify, type JWTPayload } from 'jose'
import type { IdTokenVerifier } from '../../application/ports/outbound/id-token-verifier.js'
import type { Clock } from '../../application/ports/system/clock.js'
import { InvalidIdTokenError, ProviderUnavailableError } from '../../domain/errors.js'
import { type ProviderAssertion, SIGN_IN_PROVIDERS, type SignInProvider } from '../../domain/sign-in-provider.js'
import { createJwksCache, type JwksCache } from './jwks-cache.js'

/** One provider as configured: the apps' client ids (the audiences we accept) and where its keys are published. */
export interface ProviderKeysSettings {
  clientIds: readonly string[]
  keysUrl: string
}

export interface ProviderIdTokenVerifierOptions {
  /** A provider absent or null is off: every token for it is refused. */
  providers: Partial<Record<SignInProvider, ProviderKeysSettings | null>>
  /** The deadline of one key fetch. */
  timeoutMs: number
  clock: Clock
}

/** Each provider's `iss`. Google's tokens carry either form (its discovery document says the https one). */
const ISSUERS: Record<SignInProvider, string[]> = {
  kakao: ['https://kauth.kakao.com'],
  apple: ['https://appleid.apple.com'],
  google: ['https://accounts.google.com', 'accounts.google.com']
}

/**
 * All three sign ID tokens with RSA keys; naming the one algorithm closes `none`, HS256 keyed with
 * the public key, and the rest.
 */
const ALGORITHMS = ['RS256']

/** Between the provider's clock and ours: a token minted a moment "in the future" is not refused for it. */
const CLOCK_TOLERANCE_SECONDS = 30

const PRIVATE_RELAY = /@privaterelay\.appleid\.com$/i

/**
 * Verifies Kakao, Apple and Google ID tokens with jose against each provider's published keys
 * (jwks-cache.ts): RS256 only, the provider's issuer, one of our apps' client ids as audience, an
 * expiry in the future, an issue time, a subject, and the nonce.
 *
 * The nonce: the app makes a random one per sign-in and sends it to us raw. Kakao and Google put
 * the nonce the app gave their SDK in the token as it was; with native Sign in with Apple the app
 * passes SHA-256(nonce) (lowercase hex) to Apple, and the token carries that hash. A nonce sent by
 * the app must match; a token that carries a nonce when the app sent none is refused (a token
 * lifted from another sign-in); with neither, the token is accepted, its short life the only bound
 * on replay (the use-case decides whether to require a nonce).
 *
 * Every refusal is InvalidIdTokenError with a message naming the check (jose's error code and the
 * claim), never the token or a claim's value; a provider whose keys cannot be had is ProviderUnavailableError.
 */
export function createProviderIdTokenVerifier (options: ProviderIdTokenVerifierOptions): IdTokenVerifier {
  const configured = new Map<SignInProvider, { clientIds: string[], keys: JwksCache }>()
  for (const provider of SIGN_IN_PROVIDERS) {
    const settings = options.providers[provider]
    if (settings === undefined || settings === null) continue
    configured.set(provider, {
      clientIds: [...settings.clientIds],
      keys: createJwksCache({
        name: provider,
        url: settings.keysUrl,
        timeoutMs: options.timeoutMs,
        clock: options.clock
      })
    })
  }

  return {
    providers: [...configured.keys()],

    async verify (provider, { idToken, nonce }) {
      const settings = configured.get(provider)
      if (settings === undefined) throw new InvalidIdTokenError(`${provider} sign-in is not configured`)
      let payload: JWTPayload
      try {
        ({ payload } = await jwtVerify(idToken, settings.keys.getKey, {
          algorithms: ALGORITHMS,
          issuer: ISSUERS[provider],
          audience: settings.clientIds,
          requiredClaims: ['exp', 'iat', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: options.clock.now()
        }))
      } catch (error) {
        if (error instanceof ProviderUnavailableError) throw error
        throw new InvalidIdTokenError(`${provider} ID token refused: ${refusal(error)}`)
      }
      checkNonce(provider, payload.nonce, nonce)
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new InvalidIdTokenError(`${provider} ID token refused: no subject`)
      }
      return assertionOf(provider, payload, settings.clientIds)
    }
  }
}

function checkNonce (provider: SignInProvider, claim: unknown, sent: string | null): void {
  if (sent === null) {
    if (claim !== undefined) throw new InvalidIdTokenError(`${provider} ID token refused: a nonce the app did not send`)
    return
  }
  const expected = provider === 'apple' ? createHash('sha256').update(sent).digest('hex') : sent
  if (claim !== expected) throw new InvalidIdTokenError(`${provider} ID token refused: nonce mismatch`)
}

function assertionOf (provider: SignInProvider, payload: JWTPayload, clientIds: string[]): ProviderAssertion {
  const email = text(payload.email)
  // jose checked that one of `aud` is ours; a list may name others beside it.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  return {
    provider,
    subject: payload.sub!,
    // Apple's relay addresses are opaque tokens Apple routes as written: kept exactly.
    email: email === null ? null : provider === 'apple' && PRIVATE_RELAY.test(email) ? email : email.toLowerCase(),
    emailVerified: email !== null && emailVerified(provider, payload.email_verified),
    name: provider === 'google' ? text(payload.name) : provider === 'kakao' ? text(payload.nickname) : null,
    audience: audiences.find(audience => audience !== undefined && clientIds.includes(audience))!
  }
}

function emailVerified (provider: SignInProvider, claim: unknown): boolean {
  switch (provider) {
    case 'google': return claim === true
    // Apple writes its booleans as strings in some tokens ("true") and as JSON booleans in others.
    case 'apple': return claim === true || claim === 'true'
    // Kakao's ID token carries `email` when the person consented to share it, but no statement that
    // Kakao proved it (that is `is_email_verified` of its user API, which we do not call): an address
    // is unverified here unless a claim says otherwise, so it never attaches an account by itself.
    case 'kakao': return claim === true
  }
}

function text (value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

/** jose's error code, and the claim for a claim check: tells the checks apart in a log, nothing of the token. */
function refusal (error: unknown): string {
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    return `${error.code} (${error.claim})`
  }
  if (error instanceof errors.JOSEError) return error.code
  return 'malformed'
}
