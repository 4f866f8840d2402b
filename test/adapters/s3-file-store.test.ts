import { createHash, createHmac } from 'node:crypto'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { inspect } from 'node:util'
import t, { type Test } from 'tap'
import { createS3FileStore, type S3FileStoreOptions } from '../../src/adapters/s3/s3-file-store.js'
import { ServiceUnavailableError } from '../../src/domain/errors.js'
import { BUCKET, startS3rver } from '../helpers/s3rver.js'
import { fileStoreContract, imageBytes, newKey, postUpload } from '../contracts/file-store.contract.js'

const REGION = 'ap-northeast-2'
const SECRET = 'S3RVER' // s3rver's built-in account; the signing checks below derive keys from it
/** Presigning is local, so tests of presigned forms and links need no store; nothing listens here. */
const OFFLINE = 'http://127.0.0.1:1'

const storeAt = (endpoint: string, overrides: Partial<S3FileStoreOptions> = {}) => createS3FileStore({
  bucket: BUCKET,
  region: REGION,
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: SECRET },
  requestTimeoutMs: 2000,
  ...overrides
})

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest()

/** SigV4 signing key, derived here from the secret, independently of the SDK. */
const signingKey = (date: string): Buffer =>
  ['s3', 'aws4_request'].reduce(hmac, hmac(hmac('AWS4' + SECRET, date), REGION))

const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase())

t.test('the FileStore contract against s3rver', async (t) => {
  // s3rver 3.7.1 stores any POST without reading its policy, and checks a V4 read link's expiry but
  // not its signature; the tests below check what S3 would check instead.
  const capabilities = { enforcesPolicy: false, enforcesReadSignatures: false }
  fileStoreContract(t, capabilities, async (t) => ({ store: storeAt(await startS3rver(t)) }))
})

t.test('the signed upload policy pins bucket, key, type and size, and S3 would accept its signature', async (t) => {
  const store = storeAt(OFFLINE)
  const key = newKey()
  const signedAt = Date.now()
  const { fields } = await store.presignUpload({
    key,
    contentType: 'image/jpeg',
    maxBytes: 5000,
    expiresInSeconds: 300
  })
  t.equal(fields['Content-Type'], 'image/jpeg')
  t.equal(fields.key, key)

  const encoded = fields.Policy ?? ''
  const policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
    expiration: string
    conditions: unknown[]
  }
  const expiresAt = Date.parse(policy.expiration)
  t.ok(Math.abs(expiresAt - (signedAt + 300_000)) < 5000, `expires about 300 s from now (${policy.expiration})`)

  const credential = fields['X-Amz-Credential'] ?? ''
  const date = fields['X-Amz-Date'] ?? ''
  t.equal(credential, `S3RVER/${date.slice(0, 8)}/${REGION}/s3/aws4_request`)
  // Every condition, in any order: anything looser (starts-with, another range) would show here.
  const expected = [
    { bucket: BUCKET }, { key }, ['eq', '$key', key],
    { 'Content-Type': 'image/jpeg' }, ['eq', '$Content-Type', 'image/jpeg'], ['content-length-range', 1, 5000],
    { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' }, { 'X-Amz-Credential': credential }, { 'X-Amz-Date': date }
  ]
  const sorted = (conditions: unknown[]) => conditions.map((c) => JSON.stringify(c)).sort()
  t.same(sorted(policy.conditions), sorted(expected))

  t.equal(
    fields['X-Amz-Signature'],
    hmac(signingKey(date.slice(0, 8)), encoded).toString('hex'),
    'signature over exactly this policy'
  )
})

// eslint-disable-next-line no-template-curly-in-string -- S3's literal ${filename} placeholder, not a template
t.test('a key ending in ${filename} is refused, since S3 would accept any key with that prefix', async (t) => {
  // eslint-disable-next-line no-template-curly-in-string -- S3's literal ${filename} placeholder
  const policy = { key: 'images/${filename}', contentType: 'image/jpeg', maxBytes: 10, expiresInSeconds: 60 }
  await t.rejects(storeAt(OFFLINE).presignUpload(policy))
})

t.test('the signed read link covers its key, so S3 would refuse it for another', async (t) => {
  const key = newKey()
  const url = new URL(await storeAt(OFFLINE).presignRead(key, 90))
  t.equal(url.pathname, `/${BUCKET}/${key}`)
  t.equal(url.searchParams.get('X-Amz-Expires'), '90')
  t.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host')

  const query = [...url.searchParams].filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`).sort().join('&')
  const canonical = ['GET', url.pathname, query, `host:${url.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n')
  const date = url.searchParams.get('X-Amz-Date') ?? ''
  const scope = `${date.slice(0, 8)}/${REGION}/s3/aws4_request`
  const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n')
  t.equal(url.searchParams.get('X-Amz-Signature'), hmac(signingKey(date.slice(0, 8)), toSign).toString('hex'))
})

t.test('an upload posted through the form reads back through the signed link', async (t) => {
  const store = storeAt(await startS3rver(t))
  const key = newKey()
  const body = imageBytes(3000)
  const status = await postUpload(
    await store.presignUpload({ key, contentType: 'image/jpeg', maxBytes: 4096, expiresInSeconds: 60 }),
    body
  )
  t.equal(status, 204)
  t.equal(await store.exists(key), true)
  const read = await fetch(await store.presignRead(key, 60))
  t.equal(read.status, 200)
  t.equal(read.headers.get('content-type'), 'image/jpeg')
  t.same(Buffer.from(await read.arrayBuffer()), body)
})

/** Rejects with ServiceUnavailableError whose message and properties hold no secret. */
async function assertUnavailable (t: Test, call: Promise<unknown>) {
  const secret = 'a-secret-access-key-that-must-not-leak'
  const error = await call.then(() => null, (error: unknown) => error)
  t.ok(error instanceof ServiceUnavailableError, `ServiceUnavailableError (${String(error)})`)
  t.notOk(inspect(error, { depth: 10, showHidden: true }).includes(secret), 'no secret in the error')
}

const unanswered = (endpoint: string) =>
  storeAt(endpoint, {
    requestTimeoutMs: 200,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'a-secret-access-key-that-must-not-leak' }
  })

t.test('a refused connection makes exists and delete fail as unavailable', async (t) => {
  const closed = createHttpServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const { port } = closed.address() as AddressInfo
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  const store = unanswered(`http://127.0.0.1:${port}`)
  await assertUnavailable(t, store.exists(newKey()))
  await assertUnavailable(t, store.delete(newKey()))
})

t.test('a store that accepts connections but never answers makes exists and delete fail, not hang', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => { sockets.add(socket) }) // reads nothing, answers nothing
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy()
    silent.close(() => resolve())
  }))
  const store = unanswered(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`)
  await assertUnavailable(t, store.exists(newKey()))
  await assertUnavailable(t, store.delete(newKey()))
  t.ok(sockets.size > 0, 'the requests did reach the server')
})
