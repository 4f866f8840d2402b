import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../../application/ports/system/clock.js'
import type { PresignedPost, UploadPolicy } from '../../application/ports/outbound/file-store.js'
import type { LocalFileStore, MediaOutcome, UploadOutcome, UploadRefusal } from '../http/embedded-file-store.js'
import { ServiceUnavailableError } from '../../domain/errors.js'
import { isPrivateUploadKey, isUploadContentType } from '../../domain/uploads.js'
import { isSafeBlobKey, UnsafeBlobKeyError, type BlobStore } from './blob-store.js'

export interface LocalFileStoreOptions {
  blobs: BlobStore
  /** Signs upload policies and read links: whoever holds it can write and read any file. */
  secret: string | Buffer
  /** Where the app is reached; a function when it is known only once the server listens. */
  publicUrl: string | (() => string)
  clock: Clock
}

interface Policy { expiration: string, key: string, contentType: string, maxBytes: number }
type PolicyDocument = {
  expiration?: unknown
  conditions?: [{ key?: unknown }?, { 'Content-Type'?: unknown }?, unknown[]?]
}

const EXPIRES = /^\d{1,12}$/
const refuse = (code: UploadRefusal, message: string): UploadOutcome => ({ ok: false, code, message })
const policyFailed = (condition: string) =>
  refuse('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${condition}`)

export function createLocalFileStore ({ blobs, secret, publicUrl, clock }: LocalFileStoreOptions): LocalFileStore {
  const baseUrl = (): string => (typeof publicUrl === 'string' ? publicUrl : publicUrl()).replace(/\/+$/, '')
  // The purpose prefix keeps an upload signature from ever passing as a read signature, and back.
  const sign = (purpose: 'upload' | 'read', data: string): string =>
    createHmac('sha256', secret).update(`${purpose}\n${data}`).digest('hex')
  // Compared as exact strings (not decoded hex, which ignores case) and in constant time.
  const signatureMatches = (given: string | undefined, expected: string): boolean => {
    if (given === undefined) return false
    const [a, b] = [Buffer.from(given), Buffer.from(expected)]
    return a.length === b.length && timingSafeEqual(a, b)
  }
  const mediaUrl = (key: string): string => `${baseUrl()}/media/${key.split('/').map(encodeURIComponent).join('/')}`
  const unavailable = (error: unknown): never => {
    throw new ServiceUnavailableError('the file store did not answer', { cause: error })
  }

  return {
    async presignUpload ({ key, contentType, maxBytes, expiresInSeconds }: UploadPolicy): Promise<PresignedPost> {
      if (!isSafeBlobKey(key)) throw new UnsafeBlobKeyError()
      const expiration = new Date(clock.now().getTime() + expiresInSeconds * 1000).toISOString()
      const conditions = [{ key }, { 'Content-Type': contentType }, ['content-length-range', 1, maxBytes]]
      const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64')
      return {
        url: `${baseUrl()}/uploads/`,
        fields: { key, 'Content-Type': contentType, policy, signature: sign('upload', policy) }
      }
    },

    async exists (key: string): Promise<boolean> {
      return blobs.has(key).catch(unavailable)
    },

    async delete (key: string): Promise<void> {
      await blobs.remove(key).catch(unavailable)
    },

    async presignRead (key: string, expiresInSeconds: number): Promise<string> {
      // Rounded up to the second, so a link never lives shorter than asked.
      const expires = Math.ceil((clock.now().getTime() + expiresInSeconds * 1000) / 1000)
      return `${mediaUrl(key)}?expires=${expires}&signature=${sign('read', `${key}\n${expires}`)}`
    },

    async acceptUpload (fields, file, maxBytes) {
      const encoded = fields.get('policy')
      if (encoded === undefined || !signatureMatches(fields.get('signature'), sign('upload', encoded))) {
        return refuse('AccessDenied', 'The request signature we calculated does not match the signature you provided.')
      }
      const policy = readPolicy(encoded)
      if (policy === null) return refuse('InvalidArgument', 'Invalid Policy: the policy document could not be read.')
      // Written so that an unreadable expiration (NaN) counts as expired.
      if (!(clock.now().getTime() <= Date.parse(policy.expiration))) {
        return refuse('AccessDenied', 'Invalid according to Policy: Policy expired.')
      }
      if (fields.get('key') !== policy.key) return policyFailed('["eq", "$key"]')
      if (fields.get('content-type') !== policy.contentType) return policyFailed('["eq", "$Content-Type"]')
      const stored = await blobs.put(policy.key, file, policy.contentType, Math.min(policy.maxBytes, maxBytes))
      if (stored === 'too_large') {
        return refuse('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.')
      }
      if (stored === 'empty') {
        return refuse('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.')
      }
      return { ok: true, key: policy.key }
    },

    async readMedia (key, { expires, signature }) {
      const missing: MediaOutcome = { ok: false, code: 'NoSuchKey', message: 'The specified key does not exist.' }
      if (!isSafeBlobKey(key)) return missing
      const isPrivate = isPrivateUploadKey(key)
      // Checked before the lookup, so an unsigned request cannot even learn whether a private file exists.
      if (isPrivate) {
        const valid = expires !== undefined && EXPIRES.test(expires) &&
          signatureMatches(signature, sign('read', `${key}\n${expires}`)) &&
          clock.now().getTime() <= Number(expires) * 1000
        if (!valid) {
          return { ok: false, code: 'AccessDenied', message: 'Request has expired or its signature does not match.' }
        }
      }
      const blob = await blobs.get(key)
      if (blob === null) return missing
      // Only images leave this way: a stored HTML or SVG file would run script on the app's origin.
      if (!isUploadContentType(blob.contentType)) {
        if (!Buffer.isBuffer(blob.body)) blob.body.destroy()
        return missing
      }
      return { ok: true, blob, isPrivate }
    },

    mediaUrl
  }
}

/** Only documents this store signed get here; the checks guard against a leaked or changed secret. */
function readPolicy (encoded: string): Policy | null {
  let document: PolicyDocument | null
  try {
    document = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as PolicyDocument | null
  } catch {
    return null
  }
  if (typeof document !== 'object' || document === null) return null
  const { expiration, conditions } = document
  const key = conditions?.[0]?.key
  const contentType = conditions?.[1]?.['Content-Type']
  const maxBytes = conditions?.[2]?.[2]
  if (
    typeof expiration !== 'string' ||
    typeof key !== 'string' ||
    typeof contentType !== 'string' ||
    typeof maxBytes !== 'number'
  ) { return null }
  return { expiration, key, contentType, maxBytes }
}
