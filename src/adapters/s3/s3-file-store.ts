import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { FileStore } from '../../application/ports/outbound/file-store.js'
import { ServiceUnavailableError } from '../../domain/errors.js'

export interface S3FileStoreOptions {
  bucket: string
  region: string
  /** An S3-compatible endpoint (MinIO, s3rver); null uses AWS's own endpoint for the region. */
  endpoint: string | null
  /** Bucket in the path instead of the host name; needed by most S3-compatible stores. */
  forcePathStyle: boolean
  /** Absent: the SDK's default provider chain (environment, profile, instance or task role). */
  credentials?: { accessKeyId: string, secretAccessKey: string }
  /** Bound on connecting and on each attempt; with MAX_ATTEMPTS it bounds a whole call. */
  requestTimeoutMs: number
}

/** One retry absorbs a dropped connection; more would keep a request waiting on a dead store. */
const MAX_ATTEMPTS = 2

/**
 * A FileStore over S3 or an S3-compatible store. Uploads go straight from the client to the bucket
 * through a presigned POST whose policy pins the key, the content type and the size, so S3 itself
 * refuses anything else. Failures become ServiceUnavailableError naming only an HTTP status, an S3
 * error code or a network error code: the SDK error is not passed on as a cause, because it can
 * hold the request, its signature and the credential scope.
 */
export function createS3FileStore (options: S3FileStoreOptions): FileStore {
  const { bucket, requestTimeoutMs } = options
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    maxAttempts: MAX_ATTEMPTS,
    ...(options.endpoint !== null ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    // The options form builds the SDK's own NodeHttpHandler without importing it (it is only a
    // transitive dependency). requestTimeout merely logs a warning unless throwOnRequestTimeout is set.
    requestHandler: {
      connectionTimeout: requestTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true
    }
  })

  const attempt = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      throw new ServiceUnavailableError(describe(operation, error))
    }
  }

  return {
    async presignUpload ({ key, contentType, maxBytes, expiresInSeconds }) {
      // The SDK turns a key ending in ${filename} into a starts-with condition: any key with that prefix.
      // eslint-disable-next-line no-template-curly-in-string -- S3's literal ${filename} placeholder, not a template
      if (key.includes('${filename}')) throw new Error('an upload key may not contain ${filename}')
      return attempt('presign upload', () => createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Fields: { 'Content-Type': contentType },
        // Stated here, not left to the SDK's habit of copying fields into conditions: these are what
        // make S3 refuse another key, another type, an empty file or a bigger one.
        Conditions: [
          ['eq', '$key', key],
          ['eq', '$Content-Type', contentType],
          ['content-length-range', 1, maxBytes]
        ],
        Expires: expiresInSeconds
      }))
    },

    async exists (key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        return true
      } catch (error) {
        // A HEAD answer has no body to tell NoSuchBucket from NoSuchKey: a missing bucket reads as false too.
        if (statusOf(error) === 404) return false
        throw new ServiceUnavailableError(describe('head', error))
      }
    },

    async delete (key) {
      // S3 answers 204 for a missing key, so only real failures land in attempt's catch.
      await attempt('delete', () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })))
    },

    async presignRead (key, expiresInSeconds) {
      return attempt('presign read', () =>
        getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds }))
    }
  }
}

function statusOf (error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined
}

/** Only numbers and codes: the SDK's texts and the request it carries are left out. */
function describe (operation: string, error: unknown): string {
  const status = statusOf(error)
  const name = error instanceof Error && /^[A-Za-z0-9]+$/.test(error.name) ? error.name : 'unknown'
  if (status !== undefined) return `s3 ${operation} refused (HTTP ${status}, ${name})`
  const { code } = (error ?? {}) as { code?: unknown }
  const reason = typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : name
  return `s3 ${operation} failed (${reason})`
}
