import { createPrivateKey } from 'node:crypto'
import { isIP } from 'node:net'
import { SIGN_IN_PROVIDERS, type SignInProvider } from '../../domain/sign-in-provider.js'
import type { EnvReader } from './env-reader.js'

/** Where each provider publishes the keys its ID tokens are signed with. */
export const DEFAULT_KEYS_URLS: Record<SignInProvider, string> = {
  kakao: 'https://kauth.kakao.com/.well-known/jwks.json',
  apple: 'https://appleid.apple.com/auth/keys',
  google: 'https://www.googleapis.com/oauth2/v3/certs'
}
export const DEFAULT_APPLE_AUTH_URL = 'https://appleid.apple.com'

/** A provider that is on: the apps' client ids (the audiences accepted) and its keys. */
export interface ProviderKeys { clientIds: string[], keysUrl: string }
/** What Apple's token endpoints (code exchange, revocation at deletion) need: the ES256 client secret's parts. */
export interface AppleCredentials { teamId: string, keyId: string, privateKey: string, authUrl: string }
export interface WebAuthnConfig { rpId: string, rpName: string, origins: string[] }
export interface AndroidApp { packageName: string, fingerprints: string[] }

const PREFIX: Record<SignInProvider, string> = { kakao: 'KAKAO', apple: 'APPLE', google: 'GOOGLE' }
/** Apple's team and key ids: ten upper-case letters and digits. */
const APPLE_ID = /^[A-Z0-9]{10}$/
const APPLE_CREDENTIALS = ['APPLE_TEAM_ID', 'APPLE_KEY_ID', 'APPLE_PRIVATE_KEY'] as const
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/
/** An Android app's origin in WebAuthn: its signing certificate's SHA-256, base64url without padding. */
const ANDROID_ORIGIN = /^android:apk-key-hash:[A-Za-z0-9_-]{43}$/
const APPLE_APP_ID = /^[A-Z0-9]{10}\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/
const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/
/** A certificate's SHA-256 as keytool and assetlinks.json write it: 32 hex pairs joined by colons. */
const FINGERPRINT = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/

/**
 * Sign-in with Kakao, Apple and Google, passkeys, and what the apps' association files publish.
 *
 * - `KAKAO_CLIENT_IDS`, `APPLE_CLIENT_IDS`, `GOOGLE_CLIENT_IDS`: comma lists of the apps' client
 *   ids (Kakao's native app key, the iOS bundle id or Services ID, Google's OAuth clients); a provider
 *   is on when its list is set. `<PROVIDER>_KEYS_URL` overrides where its keys are fetched (https, or
 *   http on a loopback address for a local stand-in: keys over plain http could be swapped in transit).
 * - `SIGN_IN_PROVIDER_TIMEOUT_MS`: the deadline of a call to a provider (5000).
 * - `APPLE_TEAM_ID`, `APPLE_KEY_ID`, `APPLE_PRIVATE_KEY` (the .p8 PEM, `\n` escapes accepted),
 *   `APPLE_AUTH_URL`: Apple's code exchange and token revocation, which Apple requires at account
 *   deletion, so they are required together and whenever APPLE_CLIENT_IDS is set.
 * - `WEBAUTHN_RP_ID`, `WEBAUTHN_RP_NAME`, `WEBAUTHN_ORIGINS`: passkeys, on when the RP id is set.
 * - `APPLE_APP_IDS` (`TEAMID.bundle.id`, comma list) and `ANDROID_APPS`
 *   (`package.name=AA:BB:…|CC:DD:…;other.package=…`, apps separated by `;` or `,`, a package's
 *   certificate fingerprints by `|`): the apps the association files name.
 *
 * No message echoes a value: APPLE_PRIVATE_KEY is a credential.
 */
export function readSignInConfig (read: EnvReader) {
  const providers = {} as Record<SignInProvider, ProviderKeys | null>
  for (const provider of SIGN_IN_PROVIDERS) providers[provider] = readProvider(read, provider)
  return {
    providers,
    timeoutMs: read.integer('SIGN_IN_PROVIDER_TIMEOUT_MS', 5000, { min: 1, max: 60_000 }),
    apple: readAppleCredentials(read, providers.apple !== null),
    webAuthn: readWebAuthn(read),
    appAssociation: {
      appleAppIds: readList(read, 'APPLE_APP_IDS', APPLE_APP_ID, 'TEAMID.bundle.id entries such as ABCDE12345.net.app'),
      androidApps: readAndroidApps(read)
    }
  }
}

export type SignInConfig = ReturnType<typeof readSignInConfig>

function readProvider (read: EnvReader, provider: SignInProvider): ProviderKeys | null {
  const name = `${PREFIX[provider]}_CLIENT_IDS`
  const keysUrl = readServiceUrl(read, `${PREFIX[provider]}_KEYS_URL`, DEFAULT_KEYS_URLS[provider], false)
  const raw = read.raw(name)
  if (raw === undefined) return null
  const clientIds = [...new Set(split(raw, ','))]
  if (clientIds.length === 0 || clientIds.some(id => /\s/.test(id))) {
    return read.fail(name, 'must be client ids separated by commas', null)
  }
  return { clientIds, keysUrl }
}

function readAppleCredentials (read: EnvReader, appleOn: boolean): AppleCredentials | null {
  const [teamId, keyId, pem] = APPLE_CREDENTIALS.map(name => read.optional(name))
  const authUrl = readServiceUrl(read, 'APPLE_AUTH_URL', DEFAULT_APPLE_AUTH_URL, true)
  const missing = APPLE_CREDENTIALS.filter((_, i) => [teamId, keyId, pem][i] === null)
  if (missing.length === 3 && !appleOn) return null
  if (missing.length > 0) {
    const set = APPLE_CREDENTIALS.filter(name => !missing.includes(name))
    const given = [...(appleOn ? ['APPLE_CLIENT_IDS'] : []), ...set]
    const others = missing.slice(1)
    return read.fail(
      missing[0]!,
      `${others.length === 0 ? 'is' : `and ${others.join(' and ')} are`} required with ${given.join(', ')}: ` +
        "Apple's code exchange and token revocation need the team id, the key id and the .p8 key together",
      null
    )
  }
  if (!APPLE_ID.test(teamId!)) read.fail('APPLE_TEAM_ID', 'must be the ten-character team id, such as ABCDE12345', null)
  if (!APPLE_ID.test(keyId!)) read.fail('APPLE_KEY_ID', 'must be the ten-character key id, such as XYZ9876543', null)
  const privateKey = pem!.replace(/\\n/g, '\n')
  if (!isP256PrivateKey(privateKey)) {
    const expected = 'must be the .p8 key Apple issued (a P-256 private key in PEM; \\n escapes accepted)'
    read.fail('APPLE_PRIVATE_KEY', expected, null)
  }
  return { teamId: teamId!, keyId: keyId!, privateKey, authUrl }
}

function isP256PrivateKey (pem: string): boolean {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' })
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
  } catch {
    return false
  }
}

function readWebAuthn (read: EnvReader): WebAuthnConfig | null {
  const rpId = read.optional('WEBAUTHN_RP_ID')?.toLowerCase() ?? null
  const rpName = read.string('WEBAUTHN_RP_NAME', 'mobile-auth')
  const rawOrigins = read.raw('WEBAUTHN_ORIGINS')
  if (rpId === null) {
    if (rawOrigins !== undefined) read.fail('WEBAUTHN_RP_ID', 'is required with WEBAUTHN_ORIGINS', null)
    return null
  }
  if (!HOST_NAME.test(rpId) || isIP(rpId) !== 0) {
    return read.fail('WEBAUTHN_RP_ID', 'must be a domain name without scheme or port, such as auth.example.net', null)
  }
  if (rawOrigins === undefined) return read.fail('WEBAUTHN_ORIGINS', 'is required with WEBAUTHN_RP_ID', null)
  const origins: string[] = []
  for (const entry of split(rawOrigins, ',')) {
    const origin = ANDROID_ORIGIN.test(entry) ? entry : webOrigin(entry, rpId)
    if (origin === null) {
      return read.fail(
        'WEBAUTHN_ORIGINS',
        'must be https origins on WEBAUTHN_RP_ID or its subdomains, or android:apk-key-hash:<base64url SHA-256> ' +
          'entries, separated by commas',
        null
      )
    }
    if (!origins.includes(origin)) origins.push(origin)
  }
  return { rpId, rpName, origins }
}

/**
 * An https origin whose host is the RP id or under it, as browsers and the platforms require; a
 * development RP id of `localhost` may use http, which browsers allow there alone.
 */
function webOrigin (entry: string, rpId: string): string | null {
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    return null
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && rpId === 'localhost')
  const onRpId = url.hostname === rpId || url.hostname.endsWith(`.${rpId}`)
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === ''
  return secure && onRpId && bare ? url.origin : null
}

function readAndroidApps (read: EnvReader): Array<{ packageName: string, fingerprints: string[] }> {
  const raw = read.raw('ANDROID_APPS')
  if (raw === undefined) return []
  const apps: AndroidApp[] = []
  for (const entry of split(raw, /[;,]/)) {
    const [packageName = '', list = '', ...rest] = entry.split('=').map(part => part.trim())
    const fingerprints = split(list, '|').map(fingerprint => fingerprint.toUpperCase())
    const valid = rest.length === 0 && PACKAGE_NAME.test(packageName) && fingerprints.length > 0 &&
      fingerprints.every(fingerprint => FINGERPRINT.test(fingerprint)) &&
      !apps.some(app => app.packageName === packageName)
    if (!valid) {
      return read.fail(
        'ANDROID_APPS',
        'must be package=FINGERPRINT|FINGERPRINT entries separated by ";", each fingerprint a SHA-256 as ' +
          '32 hex pairs joined by colons, each package once',
        []
      )
    }
    apps.push({ packageName, fingerprints: [...new Set(fingerprints)] })
  }
  return apps
}

function readList (read: EnvReader, name: string, shape: RegExp, expected: string): string[] {
  const raw = read.raw(name)
  if (raw === undefined) return []
  const entries = [...new Set(split(raw, ','))]
  if (entries.every(entry => shape.test(entry))) return entries
  return read.fail(name, `must be ${expected}, separated by commas`, [])
}

/**
 * A provider's URL: https, or http on a loopback address (a local stand-in). Keys or tokens fetched
 * over plain http across a network could be swapped in transit. `origin`: the path is dropped.
 */
function readServiceUrl (read: EnvReader, name: string, fallback: string, origin: boolean): string {
  const value = read.url(name, ['https:', 'http:'])
  if (value === null) return fallback
  const url = new URL(value)
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return read.fail(name, 'must be an https URL (http only on a loopback address)', fallback)
  }
  if (origin && (url.pathname !== '/' || url.search !== '')) {
    return read.fail(name, 'must be an origin with no path, such as https://appleid.apple.com', fallback)
  }
  return origin ? url.origin : value
}

function isLoopback (hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
}

function split (value: string, separator: string | RegExp): string[] {
  return value.split(separator).map(part => part.trim()).filter(part => part !== '')
}
