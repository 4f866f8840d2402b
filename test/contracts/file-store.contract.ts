import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import type { FileStore, PresignedPost, UploadPolicy } from '../../src/application/ports/outbound/file-store.js'

/**
 * What the store behind an adapter checks by itself, known before any test runs: a check the
 * store does not make is reported as skipped, with the reason, never as a pass.
 */
export interface FileStoreCapabilities {
  /**
   * Whether the store checks the signed policy itself. Amazon S3 does; s3rver, the stand-in the S3
   * suite runs against, stores any POST, so that suite checks the signed policy document instead.
   */
  enforcesPolicy: boolean
  /**
   * Whether the store checks the signature of a read link, so a link edited to another key is
   * refused. Amazon S3 does; s3rver 3.7.1 checks only the expiry of a V4 query signature, so the S3
   * suite recomputes the signature instead.
   */
  enforcesReadSignatures: boolean
}

export interface FileStoreFixture {
  store: FileStore
  /** Moves the store's clock on by `ms`. Absent: the store runs on real time and the test waits. */
  advance?: (ms: number) => Promise<void>
}

/** A tiny JPEG-looking body: the store checks the declared type, not the bytes. */
export const imageBytes = (size: number): Buffer => {
  const bytes = Buffer.alloc(size, 0x5a)
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0)
  return bytes
}

export const newKey = (): string => `images/users/verifications/${randomUUID()}.jpg`

const policyFor = (key: string, overrides: Partial<UploadPolicy> = {}): UploadPolicy =>
  ({ key, contentType: 'image/jpeg', maxBytes: 4096, expiresInSeconds: 60, ...overrides })

/** Uploads as a browser or the app does: the signed fields, then the file, as multipart/form-data. */
export async function postUpload (
  post: PresignedPost,
  body: Buffer,
  fieldOverrides: Record<string, string> = {}
): Promise<number> {
  const form = new FormData()
  for (const [name, value] of Object.entries({ ...post.fields, ...fieldOverrides })) form.append(name, value)
  form.append(
    'file',
    new Blob([new Uint8Array(body)], { type: fieldOverrides['Content-Type'] ?? post.fields['Content-Type'] }),
    'photo.jpg'
  )
  const response = await fetch(post.url, { method: 'POST', body: form })
  await response.arrayBuffer()
  return response.status
}

/** Runs a test only where the store has the capability; elsewhere tap reports it as SKIP with `reason`. */
const onlyIf = (capable: boolean, reason: string): { skip: false | string } => ({ skip: capable ? false : reason })

/** One contract for every FileStore adapter: S3 (against s3rver), local disk, memory. */
export function fileStoreContract (
  t: Test, capabilities: FileStoreCapabilities, make: (t: Test) => Promise<FileStoreFixture>
): void {
  const { enforcesPolicy, enforcesReadSignatures } = capabilities

  t.test('an upload through the presigned form lands, reads back through a signed link, and is deleted', async (t) => {
    const { store } = await make(t)
    const key = newKey()
    const body = imageBytes(2048)
    t.equal(await store.exists(key), false, 'nothing before the upload')
    const status = await postUpload(await store.presignUpload(policyFor(key)), body)
    t.ok(status >= 200 && status < 300, `upload accepted (${status})`)
    t.equal(await store.exists(key), true)

    const read = await fetch(await store.presignRead(key, 60))
    t.equal(read.status, 200)
    t.same(Buffer.from(await read.arrayBuffer()), body, 'the same bytes come back')

    await store.delete(key)
    t.equal(await store.exists(key), false)
    const gone = await fetch(await store.presignRead(key, 60))
    await gone.arrayBuffer()
    t.ok(gone.status >= 400 && gone.status < 500, `a deleted file reads as ${gone.status}`)
  })

  t.test('deleting a key that was never stored is not an error', async (t) => {
    const { store } = await make(t)
    await t.resolves(store.delete(newKey()))
  })

  t.test('keys are kept apart', async (t) => {
    const { store } = await make(t)
    const [first, second] = [newKey(), newKey()]
    await postUpload(await store.presignUpload(policyFor(first)), imageBytes(100))
    t.equal(await store.exists(first), true)
    t.equal(await store.exists(second), false)
  })

  t.test('the signed read link is bound to its key', onlyIf(enforcesReadSignatures,
    'this store does not check read signatures; the adapter suite checks the signature instead'), async (t) => {
    const { store } = await make(t)
    const [first, second] = [newKey(), newKey()]
    await postUpload(await store.presignUpload(policyFor(first)), imageBytes(100))
    await postUpload(await store.presignUpload(policyFor(second)), imageBytes(200))
    const link = await store.presignRead(first, 60)
    const forged = link.replace(first.split('/').pop()!, second.split('/').pop()!)
    const response = await fetch(forged)
    await response.arrayBuffer()
    t.ok(
      response.status === 403 || response.status === 400,
      `a link edited to another key is refused (${response.status})`
    )
  })

  t.test('the store refuses what the policy does not allow', onlyIf(enforcesPolicy,
    'this store does not check upload policies; the adapter suite checks the signed policy instead'), async (t) => {
    const { store } = await make(t)
    const refused = async (
      what: string,
      policy: Partial<UploadPolicy>,
      body: Buffer,
      fields: Record<string, string> = {}
    ) => {
      const key = newKey()
      const status = await postUpload(await store.presignUpload(policyFor(key, policy)), body, fields)
      t.ok(status >= 400 && status < 500, `${what}: refused with ${status}`)
      t.equal(await store.exists(key), false, `${what}: nothing stored`)
    }
    await refused('too large', { maxBytes: 1000 }, imageBytes(1001))
    await refused('empty', {}, Buffer.alloc(0))
    await refused('another content type', {}, imageBytes(100), { 'Content-Type': 'text/html' })
    const key = newKey()
    const post = await store.presignUpload(policyFor(key))
    const other = newKey()
    const status = await postUpload(post, imageBytes(100), { key: other })
    t.ok(status >= 400 && status < 500, `another key: refused with ${status}`)
    t.equal(await store.exists(other), false)
    t.equal(await store.exists(key), false)
    for (const [name, value] of Object.entries(post.fields)) {
      if (name === 'key' || name === 'Content-Type' || value.length < 8) continue
      const tampered = (value[0] === 'A' ? 'B' : 'A') + value.slice(1)
      const tamperedStatus = await postUpload(post, imageBytes(100), { [name]: tampered })
      t.ok(tamperedStatus >= 400 && tamperedStatus < 500, `field ${name} tampered: refused with ${tamperedStatus}`)
    }
    t.equal(await store.exists(key), false, 'no tampered form stored anything')
  })

  t.test('a form used after it expired is refused', onlyIf(enforcesPolicy,
    'this store does not check upload expiry; the adapter suite checks the signed expiration instead'), async (t) => {
    const { store, advance = sleep } = await make(t)
    const key = newKey()
    const post = await store.presignUpload(policyFor(key, { expiresInSeconds: 1 }))
    await advance(2100)
    const status = await postUpload(post, imageBytes(100))
    t.ok(status >= 400 && status < 500, `late upload refused with ${status}`)
    t.equal(await store.exists(key), false)
  })

  t.test('a read link stops working when it expires', async (t) => {
    const { store, advance = sleep } = await make(t)
    const key = newKey()
    await postUpload(await store.presignUpload(policyFor(key)), imageBytes(100))
    const link = await store.presignRead(key, 1)
    await advance(2100)
    const response = await fetch(link)
    await response.arrayBuffer()
    t.ok(response.status >= 400 && response.status < 500, `expired link refused with ${response.status}`)
  })
}
