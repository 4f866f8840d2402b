import { ValidationError } from '../../domain/errors.js'
import { UPLOAD_PREFIXES, isUploadContentType, type UploadKind } from '../../domain/uploads.js'
import type { FileStore } from '../ports/outbound/file-store.js'
import type { IdGenerator } from '../ports/system/id-generator.js'

export interface UploadSettings {
  maxBytes: number
  /** How long a presigned upload form may be used. */
  formTtlSeconds: number
  /** How long an admin's signed link to a verification file works. */
  readLinkTtlSeconds: number
}

export interface PresignUploadDeps { files: FileStore, ids: IdGenerator, settings: UploadSettings }

export interface UploadForm { url: string, fields: Record<string, string>, key: string, expiresIn: number }

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/gif': 'gif'
}

/**
 * `#sign-s3`: a form the app uploads one file with, straight to the store. The key is ours (a
 * random name under the kind's prefix), so an upload can neither overwrite another file nor land
 * outside its kind; the store enforces the type and size written into the signed policy.
 */
export const makePresignUpload = ({ files, ids, settings }: PresignUploadDeps) =>
  async function presignUpload (input: { kind: UploadKind, contentType: string }): Promise<UploadForm> {
    const contentType = input.contentType.trim().toLowerCase()
    if (!isUploadContentType(contentType)) throw ValidationError.of('content_type', 'invalid_choice')
    const key = `${UPLOAD_PREFIXES[input.kind]}${ids.newId()}.${EXTENSIONS[contentType]}`
    const form = await files.presignUpload({
      key,
      contentType,
      maxBytes: settings.maxBytes,
      expiresInSeconds: settings.formTtlSeconds
    })
    return { url: form.url, fields: form.fields, key, expiresIn: settings.formTtlSeconds }
  }
