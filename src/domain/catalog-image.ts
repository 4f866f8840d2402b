import { ValidationError } from './errors.js'

/** Where the catalog's images live in the file store (the starter catalog's keys are all here). */
export const CATALOG_IMAGE_PREFIX = 'images/interests/'

/** Longest key taken, prefix included: far past any real one, short enough for a log line. */
export const CATALOG_IMAGE_KEY_MAX = 200

// One path segment: starts with a letter or digit (so never `.`, `..` or a hidden name) and holds
// only letters, digits, `.`, `_` and `-`. That leaves out `%` (no percent-encoded `..` or `/`), `\`
// (a separator on some stores and browsers), `:` (no scheme), spaces and every control character.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * An interest's image key as admins type it: blank or absent is no image; anything else must be a
 * relative key under CATALOG_IMAGE_PREFIX, because the apps get it as MEDIA_BASE_URL + key and a
 * key like `../../etc/passwd`, `//evil.example/x.png` or `javascript:…` would point them elsewhere.
 * Refused on `image`: `too_long`, or `invalid_upload_key` for the rest.
 */
export function parseCatalogImageKey (input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null
  const key = input.trim()
  if (key === '') return null
  if (key.length > CATALOG_IMAGE_KEY_MAX) throw ValidationError.of('image', 'too_long')
  if (!isCatalogImageKey(key)) throw ValidationError.of('image', 'invalid_upload_key')
  return key
}

/**
 * True when `key` is a file (optionally in sub-folders) under CATALOG_IMAGE_PREFIX, each segment plain and no `..`
 * anywhere.
 */
export function isCatalogImageKey (key: string): boolean {
  if (key.length > CATALOG_IMAGE_KEY_MAX || !key.startsWith(CATALOG_IMAGE_PREFIX)) return false
  const segments = key.slice(CATALOG_IMAGE_PREFIX.length).split('/')
  // split gives an empty segment for `a//b` and for a trailing `/`, which SEGMENT refuses.
  return segments.every((segment) => SEGMENT.test(segment) && !segment.includes('..'))
}
