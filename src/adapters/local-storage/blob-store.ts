import type { Readable } from 'node:stream'

/** What `put` did: only 'stored' leaves an object behind. */
export type PutResult = 'stored' | 'too_large' | 'empty'

export interface StoredBlob {
  /** Bytes as stored; a stream must be read to its end or destroyed by the caller. */
  body: Buffer | Readable
  contentType: string
  size: number
}

/**
 * Bytes by key for the embedded file store (local disk, or memory in tests). It knows nothing of
 * policies or signatures: the local file store decides what may be written and read.
 */
export interface BlobStore {
  /**
   * Stores the whole source under the key, replacing any object there, or stores nothing: a source
   * longer than `maxBytes` is refused as soon as its first extra byte arrives (the rest is left
   * unread) and an empty one is refused too. Throws on a key that `isSafeBlobKey` refuses.
   */
  put (key: string, source: AsyncIterable<Uint8Array>, contentType: string, maxBytes: number): Promise<PutResult>
  /** The object, or null when there is none (or the key is unsafe). */
  get (key: string): Promise<StoredBlob | null>
  has (key: string): Promise<boolean>
  /** Removing a missing object is not an error. */
  remove (key: string): Promise<void>
}

const MAX_KEY_LENGTH = 1024
// Control characters (NUL included) and backslashes have no business in a key and confuse paths.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/

/**
 * Keys are relative, '/'-separated names. No segment may be empty or start with a dot: that rules
 * out absolute paths, '.', '..' and hidden names, so a key maps to a path inside the store's root
 * and never collides with the disk store's own dot-files (temp files, content-type sidecars).
 */
export function isSafeBlobKey (key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || FORBIDDEN.test(key)) return false
  return key.split('/').every((segment) => segment.length > 0 && !segment.startsWith('.'))
}

export class UnsafeBlobKeyError extends Error {
  constructor () { super('unsafe blob key') }
}
