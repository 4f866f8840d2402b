/** What a presigned upload may carry; the store itself refuses anything else. */
export interface UploadPolicy {
  /** The exact key the object lands under. */
  key: string
  /** The one content type the upload must declare. */
  contentType: string
  /** Largest accepted size in bytes (at least 1 byte is required). */
  maxBytes: number
  expiresInSeconds: number
}

/**
 * An S3-style presigned POST: the client sends `fields` then the file (form field `file`) as multipart/form-data to
 * `url`.
 */
export interface PresignedPost { url: string, fields: Record<string, string> }

export interface FileStore {
  /**
   * A signed form for one upload; the store refuses another key, another content type, a bigger or empty file, or a
   * late upload.
   */
  presignUpload(policy: UploadPolicy): Promise<PresignedPost>
  /** True when an object is stored under the key. Throws ServiceUnavailableError when the store does not answer. */
  exists(key: string): Promise<boolean>
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>
  /** A URL that reads the object until `expiresInSeconds` have passed, for files that have no public URL. */
  presignRead(key: string, expiresInSeconds: number): Promise<string>
}
