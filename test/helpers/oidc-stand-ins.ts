import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import type { Clock } from '../../src/application/ports/system/clock.js'
import { SIGN_IN_PROVIDERS, type SignInProvider } from '../../src/domain/sign-in-provider.js'

/** The client ids the stand-ins issue tokens to: Kakao's native app key, the iOS bundle id, a Google client. */
export const CLIENT_IDS: Record<SignInProvider, string> = {
  kakao: '3f6e0b4a9d2c8e1f7a5b6c4d2e0f9a8b',
  apple: 'net.mobileauth.app',
  google: '417703269541-0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p.apps.googleusercontent.com'
}

export const ISSUERS: Record<SignInProvider, string> = {
  kakao: 'https://kauth.kakao.com',
  apple: 'https://appleid.apple.com',
  google: 'https://accounts.google.com'
}

/** What Apple puts in `nonce`: the lowercase hex SHA-256 of the nonce the app made. */
export const appleNonce = (raw: string): string => createHash('sha256').update(raw).digest('hex')

export type SigningKey = Awaited<ReturnType<typeof makeKey>>

/** Claims to put in a token; a claim set to undefined is left out. */
export type ClaimOverrides = Record<string, unknown>

export interface SignOptions {
  /** The nonce as the app made it: Kakao and Google carry it as is, Apple its SHA-256. */
  nonce?: string
  /** The `kid` in the header (default: the key's own). */
  kid?: string
  /** Signs with this key instead of the provider's current one: a forgery, under the current kid unless `kid` says. */
  key?: SigningKey
}

interface ProviderState {
  published: SigningKey[]
  /** The key tokens are signed with: after rotate(), not published until publish(). */
  current: SigningKey
  cacheControl: string | null
  fetches: number
  failure: 500 | 'hang' | null
}

/**
 * Kakao, Apple and Google as the verifier sees them, on one 127.0.0.1 server: GET /<provider>/keys
 * publishes the provider's JWKS with a `Cache-Control` header (settable), counts every fetch, and
 * can fail (500) or take the request and never answer (hang). A provider can rotate to a new key
 * that signs at once but is published only when asked, as providers sign with a key soon after
 * publishing it and caches lag. signIdToken mints ID tokens with each provider's claims.
 */
export async function startOidcStandIns ({ clock = { now: () => new Date() } }: { clock?: Clock } = {}) {
  const states = new Map<SignInProvider, ProviderState>()
  for (const provider of SIGN_IN_PROVIDERS) {
    const key = await makeKey()
    const cacheControl = 'public, max-age=3600'
    states.set(provider, { published: [key], current: key, cacheControl, fetches: 0, failure: null })
  }
  const state = (provider: SignInProvider): ProviderState => states.get(provider)!

  const server = createServer((request, response) => {
    request.resume()
    const match = /^\/(kakao|apple|google)\/keys$/.exec(new URL(request.url ?? '/', 'http://stand-in').pathname)
    if (request.method !== 'GET' || match === null) {
      response.writeHead(404).end()
      return
    }
    const provider = state(match[1] as SignInProvider)
    provider.fetches++
    if (provider.failure === 'hang') return // taken, never answered
    if (provider.failure === 500) {
      response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>500 Internal Server Error</h1>')
      return
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (provider.cacheControl !== null) headers['cache-control'] = provider.cacheControl
    response.writeHead(200, headers).end(JSON.stringify({ keys: provider.published.map(key => key.publicJwk) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    keysUrl: (provider: SignInProvider) => `${url}/${provider}/keys`,
    /** Key fetches this provider answered (or took and left hanging). */
    fetches: (provider: SignInProvider) => state(provider).fetches,
    /** `public, max-age=3600` unless set; null sends no Cache-Control at all. */
    setCacheControl (provider: SignInProvider, value: string | null) { state(provider).cacheControl = value },
    /** Fails every key fetch of this provider from now on, until set back to null. */
    fail (provider: SignInProvider, how: 500 | 'hang' | null) { state(provider).failure = how },

    /** Signs with a new key (a new kid) from now on; the JWKS keeps the old ones until publish(). Answers the kid. */
    async rotate (provider: SignInProvider): Promise<string> {
      const key = await makeKey()
      state(provider).current = key
      return key.kid
    },
    /** Publishes the current key beside the ones already published. */
    publish (provider: SignInProvider) {
      const current = state(provider)
      if (!current.published.includes(current.current)) current.published.push(current.current)
    },

    /** An ID token as the provider mints them for our app, for a person of its own unless `claims` says. */
    async signIdToken (provider: SignInProvider, claims: ClaimOverrides = {}, options: SignOptions = {}) {
      const now = Math.floor(clock.now().getTime() / 1000)
      const payload = Object.fromEntries(
        Object.entries({ ...defaultClaims(provider, now, options.nonce), ...claims }).filter(([, v]) => v !== undefined)
      )
      const { current } = state(provider)
      return await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? current.kid, typ: 'JWT' })
        .sign((options.key ?? current).privateKey)
    },

    close () {
      return new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    }
  }
}

export type OidcStandIns = Awaited<ReturnType<typeof startOidcStandIns>>

/** An RS256 key pair with a kid of its own, the public half as a JWK the way providers publish it. */
export async function makeKey () {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const kid = randomBytes(10).toString('hex')
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return { kid, privateKey, publicJwk }
}

function defaultClaims (provider: SignInProvider, now: number, nonce: string | undefined): Record<string, unknown> {
  const common = { iss: ISSUERS[provider], aud: CLIENT_IDS[provider], iat: now }
  switch (provider) {
    case 'kakao':
      return {
        ...common,
        sub: String(3_000_000_000 + Math.floor(Math.random() * 1_000_000_000)),
        exp: now + 12 * 3600,
        auth_time: now - 5,
        nonce,
        nickname: '라이언',
        email: `Ryan.${randomUUID().slice(0, 8)}@Kakao.com`
      }
    case 'apple':
      return {
        ...common,
        sub: `001234.${randomBytes(16).toString('hex')}.0912`,
        exp: now + 600,
        nonce: nonce === undefined ? undefined : appleNonce(nonce),
        nonce_supported: true,
        email: `${randomBytes(5).toString('hex')}@privaterelay.appleid.com`,
        email_verified: 'true',
        is_private_email: 'true',
        real_user_status: 2,
        auth_time: now - 5
      }
    case 'google':
      return {
        ...common,
        sub: String(100_000_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15))),
        exp: now + 3600,
        nonce,
        azp: `417703269541-android${randomBytes(4).toString('hex')}.apps.googleusercontent.com`,
        email: `Jane.Doe.${randomUUID().slice(0, 8)}@Gmail.com`,
        email_verified: true,
        name: 'Jane Doe'
      }
  }
}
