import type { IdentitySettings } from '../../application/identity/identity-settings.js'
import { DUPLICATE_IDENTITY_POLICIES, IDENTITY_VERIFICATION_MODES } from '../../domain/identity.js'
import type { EnvReader } from './env-reader.js'

export const PORTONE_DEFAULT_API_URL = 'https://api.portone.io'

/** What the PortOne identity verifier is made with. */
export interface PortOneSettings {
  secret: string
  storeId: string
  /** An origin: the SDK puts its paths at the root and drops any path here. */
  baseUrl: string
  timeoutMs: number
}

/** A month: a verification is made for one sign-up, and an older one is a mistake in the setting. */
const MAX_AGE_LIMIT_MINUTES = 30 * 24 * 60

/**
 * PORTONE_* and IDENTITY_*: the provider's credentials, and what a sign-up's verification id
 * does. Unset, IDENTITY_VERIFICATION is `optional` when PortOne is configured and `off` when it is
 * not; `optional` or `required` without PortOne has no one to ask, so it stops the start. PortOne
 * is never required, production included: a deployment without identity verification is valid.
 * No message echoes a value (PORTONE_API_SECRET is a credential).
 */
export function readIdentityConfig (read: EnvReader): { portone: PortOneSettings | null, settings: IdentitySettings } {
  const secret = read.optional('PORTONE_API_SECRET')
  const storeId = read.optional('PORTONE_STORE_ID')
  const baseUrl = readOrigin(read)
  const timeoutMs = read.integer('PORTONE_TIMEOUT_MS', 5000, { min: 1, max: 60_000 })
  if (secret !== null && storeId === null) {
    read.fail('PORTONE_STORE_ID', 'is required with PORTONE_API_SECRET: set both or neither', null)
  }
  if (secret === null && storeId !== null) {
    read.fail('PORTONE_API_SECRET', 'is required with PORTONE_STORE_ID: set both or neither', null)
  }
  const portone = secret !== null && storeId !== null ? { secret, storeId, baseUrl, timeoutMs } : null

  const mode = read.oneOf('IDENTITY_VERIFICATION', IDENTITY_VERIFICATION_MODES, portone === null ? 'off' : 'optional')
  // A half-set pair is reported once, above, not again as a mode without a provider.
  if (mode !== 'off' && secret === null && storeId === null) {
    read.fail(
      'IDENTITY_VERIFICATION',
      `=${mode} needs PortOne: set PORTONE_API_SECRET and PORTONE_STORE_ID, or IDENTITY_VERIFICATION=off`,
      null
    )
  }
  const settings: IdentitySettings = {
    mode,
    duplicates: read.oneOf('IDENTITY_DUPLICATES', DUPLICATE_IDENTITY_POLICIES, 'flag'),
    maxAgeMs: read.integer('IDENTITY_VERIFICATION_MAX_AGE_MINUTES', 60, { min: 1, max: MAX_AGE_LIMIT_MINUTES }) * 60_000
  }
  return { portone, settings }
}

export type IdentityConfig = ReturnType<typeof readIdentityConfig>

/** PORTONE_API_URL as an origin, since the SDK would silently drop a path (a proxy's prefix) and call the root. */
function readOrigin (read: EnvReader): string {
  const value = read.url('PORTONE_API_URL', ['https:', 'http:'])
  if (value === null) return PORTONE_DEFAULT_API_URL
  const url = new URL(value)
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return read.fail('PORTONE_API_URL', 'must be an origin with no path, such as https://api.portone.io', url.origin)
  }
  return url.origin
}
