import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import Fastify from 'fastify'
import t from 'tap'
import type { Test } from 'tap'
import { installErrorHandler } from '../../src/adapters/http/errors/error-handler.js'
import { localUploadRoutes } from '../../src/adapters/http/routes/local-upload-routes.js'
import { isSafeBlobKey, type BlobStore } from '../../src/adapters/local-storage/blob-store.js'
import { createDiskBlobStore } from '../../src/adapters/local-storage/disk-blob-store.js'
import type { LocalFileStore } from '../../src/adapters/http/embedded-file-store.js'
import { createLocalFileStore } from '../../src/adapters/local-storage/local-file-store.js'
import { createMemoryBlobStore } from '../../src/adapters/local-storage/memory-blob-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import type { Clock } from '../../src/application/ports/system/clock.js'
import type { PresignedPost } from '../../src/application/ports/outbound/file-store.js'
import { fileStoreContract, imageBytes, newKey, postUpload } from '../contracts/file-store.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'

const MAX_UPLOAD_BYTES = 1024 * 1024

async function diskRoot (t: Test): Promise<{ dir: string, root: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'local-file-store-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return { dir, root: path.join(dir, 'files') }
}

/**
 * The plugin inside an app set up as build-app does it (JSON error handler, no text/plain parser), listening for real.
 */
async function serve (t: Test, blobs: BlobStore, clock: Clock = systemClock): Promise<LocalFileStore> {
  let url = ''
  const store = createLocalFileStore({ blobs, secret: 'test-file-secret-0123456789', publicUrl: () => url, clock })
  const app = Fastify()
  installErrorHandler(app)
  app.removeContentTypeParser('text/plain')
  await app.register(localUploadRoutes, { store, maxUploadBytes: MAX_UPLOAD_BYTES })
  t.teardown(() => app.close())
  url = await app.listen({ host: '127.0.0.1', port: 0 })
  return store
}

const serveDisk = async (t: Test, clock?: Clock) => {
  const { dir, root } = await diskRoot(t)
  return { dir, root, store: await serve(t, await createDiskBlobStore(root), clock) }
}
const uploadsUrl = (store: LocalFileStore): string => store.mediaUrl('x').replace(/\/media\/x$/, '/uploads/')
const errorCode = (text: string): string | undefined => /<Code>(\w+)<\/Code>/.exec(text)?.[1]
const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter(entry => entry.isFile())
    .map(entry => entry.name)

async function send (url: string, entries: Array<[string, string | Blob]>): Promise<{ status: number, text: string }> {
  const form = new FormData()
  for (const [name, value] of entries) form.append(name, value)
  const response = await fetch(url, { method: 'POST', body: form })
  return { status: response.status, text: await response.text() }
}
const rawGet = (url: string): Promise<{ status: number, text: string }> => new Promise((resolve, reject) => {
  const { host, port } = new URL(url)
  const request = httpRequest({ host: host.split(':')[0], port, path: url.slice(url.indexOf('/media/')) }, response => {
    let text = ''
    response
      .setEncoding('utf8')
      .on('data', (chunk: string) => {
        text += chunk
      })
      .on('end', () => resolve({ status: response.statusCode ?? 0, text }))
  })
  request.on('error', reject).end()
})
const fileOf = (bytes: Buffer, type = 'image/jpeg'): Blob => new Blob([new Uint8Array(bytes)], { type })
const signedForm = (post: PresignedPost, extra: Array<[string, string]> = []): Array<[string, string]> => [
  ...Object.entries(post.fields),
  ...extra
]

// On a clock of the test's own, so the expiry checks move time on instead of waiting for it.
const CHECKS_ALL = { enforcesPolicy: true, enforcesReadSignatures: true }
t.test('disk', async (t) => fileStoreContract(t, CHECKS_ALL, async (t) => {
  const clock = new ManualClock(Date.now())
  return { store: (await serveDisk(t, clock)).store, advance: async (ms) => clock.advance(ms) }
}))
t.test('memory', async (t) => fileStoreContract(t, CHECKS_ALL, async (t) => {
  const clock = new ManualClock(Date.now())
  return { store: await serve(t, createMemoryBlobStore(), clock), advance: async (ms) => clock.advance(ms) }
}))

t.test('keys that could leave the root are refused everywhere', async (t) => {
  for (const key of [
    '../x.jpg',
    'images/../../x.jpg',
    '/etc/passwd',
    'images\\x.jpg',
    'a\u0000b',
    'images//x.jpg',
    'images/.x',
    ''
  ]) {
    t.notOk(isSafeBlobKey(key), JSON.stringify(key))
  }
  t.ok(isSafeBlobKey(newKey()))
  const { dir, root, store } = await serveDisk(t)
  const blobs = await createDiskBlobStore(root)
  await t.rejects(blobs.put('../outside.jpg', Readable.from([Buffer.from('x')]), 'image/jpeg', 10))
  await t.rejects(
    store.presignUpload({ key: '../outside.jpg', contentType: 'image/jpeg', maxBytes: 10, expiresInSeconds: 60 })
  )
  await writeFile(path.join(dir, 'outside.jpg'), imageBytes(10))
  t.equal(await blobs.get('../outside.jpg'), null)
  t.equal(await store.exists('../outside.jpg'), false)
  // Sent raw: fetch would resolve the dot segments before they reach the server.
  const { origin } = new URL(store.mediaUrl('x'))
  for (const tail of [
    '..%2Foutside.jpg',
    '%2e%2e/outside.jpg',
    'images/%2E%2E/%2e%2e/outside.jpg',
    'images%5C..%5C..%5Coutside.jpg'
  ]) {
    const { status, text } = await rawGet(`${origin}/media/${tail}`)
    t.equal(status, 404, `/media/${tail}`)
    t.equal(errorCode(text), 'NoSuchKey')
  }
})

t.test('a too-large upload leaves no file, not even a temp file', async (t) => {
  const { root, store } = await serveDisk(t)
  const key = newKey()
  const policy = await store.presignUpload({ key, contentType: 'image/jpeg', maxBytes: 1000, expiresInSeconds: 60 })
  const small = await send(policy.url, [...signedForm(policy), ['file', fileOf(imageBytes(1001))]])
  t.equal(small.status, 400)
  t.equal(errorCode(small.text), 'EntityTooLarge')
  // A policy above the deployment's ceiling still stops at the ceiling, after a body of several MiB.
  const generous = await store.presignUpload({
    key,
    contentType: 'image/jpeg',
    maxBytes: 8 * MAX_UPLOAD_BYTES,
    expiresInSeconds: 60
  })
  const big = await send(generous.url, [...signedForm(generous), ['file', fileOf(imageBytes(3 * MAX_UPLOAD_BYTES))]])
  t.equal(big.status, 400)
  t.equal(errorCode(big.text), 'EntityTooLarge')
  t.same(await filesUnder(root), [])
  t.equal(await store.exists(key), false)
})

t.test('public media: the stored type, nosniff and a public cache; only images are served', async (t) => {
  const { store } = await serveDisk(t)
  const key = `images/users/avatars/${randomUUID()}.png`
  const body = imageBytes(300)
  t.equal(
    await postUpload(
      await store.presignUpload({ key, contentType: 'image/png', maxBytes: 1000, expiresInSeconds: 60 }),
      body
    ),
    204
  )
  const response = await fetch(store.mediaUrl(key))
  t.equal(response.status, 200)
  t.equal(response.headers.get('content-type'), 'image/png')
  t.equal(response.headers.get('x-content-type-options'), 'nosniff')
  t.match(response.headers.get('cache-control'), /^public/)
  t.same(Buffer.from(await response.arrayBuffer()), body)

  const page = `images/users/avatars/${randomUUID()}.html`
  t.equal(
    await postUpload(
      await store.presignUpload({ key: page, contentType: 'text/html', maxBytes: 1000, expiresInSeconds: 60 }),
      Buffer.from('<script>alert(1)</script>')
    ),
    204
  )
  const refused = await fetch(store.mediaUrl(page))
  t.equal(refused.status, 404, 'an HTML file is never served')
  await refused.arrayBuffer()
})

t.test('a verification file needs a valid, unexpired signature', async (t) => {
  const clock = new ManualClock(Date.now())
  const { store } = await serveDisk(t, clock)
  const key = newKey()
  t.equal(
    await postUpload(
      await store.presignUpload({ key, contentType: 'image/jpeg', maxBytes: 1000, expiresInSeconds: 60 }),
      imageBytes(100)
    ),
    204
  )
  const link = await store.presignRead(key, 60)
  const status = async (url: string) => {
    const response = await fetch(url)
    await response.arrayBuffer()
    return response
  }
  t.equal((await status(store.mediaUrl(key))).status, 403, 'no signature')
  // Another first character, whatever the signature starts with (a fixed one fails 1 run in 64).
  const tampered = link.replace(/signature=(.)/, (_match, first: string) => `signature=${first === '0' ? '1' : '0'}`)
  t.not(tampered, link)
  t.equal((await status(tampered)).status, 403, 'a bad signature')
  t.equal((await status(link.replace(/expires=\d+/, (m) => `${m}0`))).status, 403, 'a later expiry than signed')
  const valid = await status(link)
  t.equal(valid.status, 200)
  t.equal(valid.headers.get('cache-control'), 'private, no-store')
  clock.advance(62_000)
  const expired = await fetch(link)
  t.equal(expired.status, 403, 'expired')
  t.equal(errorCode(await expired.text()), 'AccessDenied')
})

t.test('unreadable or incomplete forms are 4xx in S3 XML, never 500 or the JSON envelope', async (t) => {
  const store = await serve(t, createMemoryBlobStore())
  const url = uploadsUrl(store)
  const post = await store.presignUpload({
    key: newKey(),
    contentType: 'image/jpeg',
    maxBytes: 1000,
    expiresInSeconds: 60
  })
  const raw = async (contentType: string, body: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body })
    return { status: response.status, text: await response.text() }
  }
  const cases = {
    'a broken multipart body': await raw(
      'multipart/form-data; boundary=xyz',
      '--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\nabc'
    ),
    'no boundary': await raw('multipart/form-data', 'whatever'),
    'plain text': await raw('text/plain', 'hello'),
    JSON: await raw('application/json', '{"key":"x"}'),
    'no file part': await send(url, signedForm(post)),
    'a repeated key field': await send(url, [
      ...signedForm(post, [['key', 'images/users/verifications/other.jpg']]),
      ['file', fileOf(imageBytes(10))]
    ]),
    'a file under another name': await send(url, [...signedForm(post), ['upload', fileOf(imageBytes(10))]])
  }
  for (const [what, { status, text }] of Object.entries(cases)) {
    t.equal(status, 400, what)
    t.equal(errorCode(text), 'InvalidArgument', `${what}: ${text}`)
  }
  t.equal(await store.exists(post.fields.key!), false)
})

t.test('fields after the file are ignored, as S3 does; success_action_status is honoured', async (t) => {
  const store = await serve(t, createMemoryBlobStore())
  const key = newKey()
  const post = await store.presignUpload({ key, contentType: 'image/jpeg', maxBytes: 1000, expiresInSeconds: 60 })
  const other = newKey()
  const late = await send(post.url, [
    ...signedForm(post),
    ['file', fileOf(imageBytes(10))],
    ['key', other],
    ['Content-Type', 'text/html']
  ])
  t.equal(late.status, 204)
  t.equal(await store.exists(key), true)
  t.equal(await store.exists(other), false)
  const created = await send(post.url, [
    ...signedForm(post, [['success_action_status', '201']]),
    ['file', fileOf(imageBytes(10))]
  ])
  t.equal(created.status, 201)
  t.match(created.text, `<Key>${key}</Key>`)
  t.equal(
    (await send(post.url, [...signedForm(post, [['success_action_status', '200']]), ['file', fileOf(imageBytes(10))]]))
      .status,
    200
  )
})
