import type { Readable } from 'node:stream'
import type { FileStore } from '../../application/ports/outbound/file-store.js'

// What the embedded store's HTTP face (local-upload-routes.ts) needs of it: declared here, by its
// consumer, and implemented by local-storage/local-file-store.ts.

/** A stored file as the media route sends it; a stream must be read to its end or destroyed. */
export interface MediaFile { body: Buffer | Readable, contentType: string, size: number }

/** S3's own error codes, so clients written against S3 read the same answers. */
export type UploadRefusal = 'AccessDenied' | 'EntityTooLarge' | 'EntityTooSmall' | 'InvalidArgument'
export type UploadOutcome = { ok: true, key: string } | { ok: false, code: UploadRefusal, message: string }
export type MediaOutcome =
  | { ok: true, blob: MediaFile, isPrivate: boolean }
  | { ok: false, code: 'AccessDenied' | 'NoSuchKey', message: string }

/** The FileStore the app uses when no S3 is configured, plus the server side of its URLs. */
export interface LocalFileStore extends FileStore {
  /**
   * Checks the form fields sent before the file (names lower-cased) against their signed policy,
   * then stores the file when its size fits the policy and `maxBytes`. `file` is read only for a
   * valid form and never past the first byte too many; the caller discards what is left.
   */
  acceptUpload(
    fields: ReadonlyMap<string, string>,
    file: AsyncIterable<Uint8Array>,
    maxBytes: number
  ): Promise<UploadOutcome>
  /** The object behind `/media/<key>`: private keys need the `expires` and `signature` of a presignRead link. */
  readMedia(key: string, link: { expires?: string | undefined, signature?: string | undefined }): Promise<MediaOutcome>
  mediaUrl(key: string): string
}
