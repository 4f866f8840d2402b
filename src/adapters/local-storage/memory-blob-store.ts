import { isSafeBlobKey, UnsafeBlobKeyError, type BlobStore, type PutResult, type StoredBlob } from './blob-store.js'

interface Entry { bytes: Buffer, contentType: string }

/** The disk store's twin for tests: same key rules, same all-or-nothing writes, nothing on disk. */
export function createMemoryBlobStore (): BlobStore {
  const entries = new Map<string, Entry>()

  return {
    async put (
      key: string,
      source: AsyncIterable<Uint8Array>,
      contentType: string,
      maxBytes: number
    ): Promise<PutResult> {
      if (!isSafeBlobKey(key)) throw new UnsafeBlobKeyError()
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of source) {
        size += chunk.byteLength
        // Leaving the loop stops reading: the rest of a too-large source is never buffered.
        if (size > maxBytes) return 'too_large'
        chunks.push(Buffer.from(chunk))
      }
      if (size === 0) return 'empty'
      // Set only once the source is complete, so a failed upload never shows a partial object.
      entries.set(key, { bytes: Buffer.concat(chunks, size), contentType })
      return 'stored'
    },

    async get (key: string): Promise<StoredBlob | null> {
      const entry = entries.get(key)
      if (entry === undefined) return null
      return { body: entry.bytes, contentType: entry.contentType, size: entry.bytes.byteLength }
    },

    async has (key: string): Promise<boolean> {
      return entries.has(key)
    },

    async remove (key: string): Promise<void> {
      entries.delete(key)
    }
  }
}
