import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { promisify } from 'node:util'
import t from 'tap'
import { clientErrorHandler } from '../../src/adapters/http/errors/client-errors.js'
import { ERRORS } from '../../src/adapters/http/errors/error-table.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { buildTestApp } from '../helpers/build-test-app.js'

// Oversized requests get an answer the client can read, in the door's format. The test app's body
// limit is 1 MiB. The client runs in a process of its own: with client and server on one event
// loop the refused body always fits the socket buffers and the reset never shows.

const run = promisify(execFile)

/** Node's own fetch (undici) in a child process: one line of JSON per try. */
const FETCH_TRIES = `
const [url, megabytes, tries, chunked] = process.argv.slice(1)
const body = JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(Number(megabytes) * 1024 * 1024) })
for (let i = 0; i < Number(tries); i++) {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
  if (chunked === 'chunked') Object.assign(init, { duplex: 'half', body: new Blob([body]).stream() })
  try {
    const res = await fetch(url, init)
    console.log(JSON.stringify({ status: res.status, body: await res.json() }))
  } catch (error) {
    console.log(JSON.stringify({ error: String(error.cause?.code ?? error.message) }))
  }
}`

async function listening (t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, port: (app.server.address() as { port: number }).port }
}

async function fetchTries (url: string, megabytes: number, tries: number, framing: 'length' | 'chunked') {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', FETCH_TRIES, url, String(megabytes), String(tries), framing],
    { timeout: 60_000 }
  )
  return stdout
    .trim()
    .split('\n')
    .map(line => JSON.parse(line) as { status?: number, body?: unknown, error?: string })
}

/** Writes `text` on a raw socket and collects everything the server sends until it closes. */
function rawExchange (
  port: number,
  writes: string[],
  pauseMs = 0
): Promise<{ response: string, error: string | null }> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    let response = ''
    let error: string | null = null
    socket.on('data', chunk => {
      response += chunk.toString('utf8')
    })
    socket.on('error', (cause: NodeJS.ErrnoException) => {
      error = cause.code ?? cause.message
    })
    socket.on('close', () => resolve({ response, error }))
    socket.once('connect', async () => {
      for (const text of writes) {
        if (socket.destroyed) break
        socket.write(text)
        if (pauseMs > 0) await new Promise(resolve => setTimeout(resolve, pauseMs))
      }
    })
  })
}

const parse = (response: string) => {
  const [head = '', body = ''] = response.split('\r\n\r\n')
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
    head,
    body: body === '' ? null : (JSON.parse(body) as unknown)
  }
}

const AUTH_413 = {
  code: 'PAYLOAD_TOO_LARGE',
  message: ERRORS.payload_too_large.ko,
  detail: ERRORS.payload_too_large.ko
}
const API_413 = { detail: ERRORS.payload_too_large.ko, code: 'payload_too_large' }

t.test('a body of 2 to 4 MiB, sent by fetch: every try reads the 413 in the door\'s format', async (t) => {
  const { port } = await listening(t)
  for (const [path, expected] of [['/auth/register', AUTH_413], ['/api/registration/', API_413]] as const) {
    for (const megabytes of [2, 4]) {
      for (const framing of ['length', 'chunked'] as const) {
        const results = await fetchTries(`http://127.0.0.1:${port}${path}`, megabytes, 6, framing)
        t.equal(results.length, 6)
        t.same(
          results,
          results.map(() => ({ status: 413, body: expected })),
          `${path}, ${megabytes} MiB, ${framing}: ${JSON.stringify(results.map(r => r.status ?? r.error))}`
        )
      }
    }
  }
})

t.test('a declared length far past the limit is answered at once, without waiting for the body', async (t) => {
  const { port } = await listening(t)
  const started = Date.now()
  // 100 MiB declared, a few bytes sent: the service reads no further and does not wait for it.
  const { response } = await rawExchange(port, [
    'POST /api/token/refresh/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${100 * 1024 * 1024}\r\n\r\n{"refresh":`
  ])
  const { status, head, body } = parse(response)
  t.equal(status, 413)
  t.match(head, /\r\nconnection: close/i)
  t.same(body, API_413)
  t.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`)
})

t.test('over the limit is a 413 whatever the type; a form the form login takes too', async (t) => {
  const { app } = await buildTestApp(t)
  const huge = 'a'.repeat(1024 * 1024 + 1)
  const text = await app.inject({
    method: 'POST',
    url: '/auth/register',
    headers: { 'content-type': 'text/plain' },
    payload: huge
  })
  t.same([text.statusCode, text.json()], [413, AUTH_413], 'size is checked before the type')
  t.equal(text.headers.connection, 'close')
  const form = await app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `username=a&password=${huge}`
  })
  t.same([form.statusCode, form.json()], [413, AUTH_413], 'the form login')
  const json = await app.inject({
    method: 'POST',
    url: '/api/logout/',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ refresh: huge })
  })
  t.same([json.statusCode, json.json()], [413, API_413], 'the phone door')
})

t.test('a header section over the limit is a 431 in the door\'s format', async (t) => {
  const { port } = await listening(t)
  const big = `X-Big: ${'a'.repeat(100 * 1024)}\r\n`

  const auth = await rawExchange(port, [`GET /auth/me HTTP/1.1\r\nHost: x\r\n${big}\r\n`])
  t.equal(auth.error, null, 'no reset under the answer')
  const authAnswer = parse(auth.response)
  t.equal(authAnswer.status, 431)
  t.match(authAnswer.head, /\r\ncontent-type: application\/json/i)
  t.match(authAnswer.head, /\r\nconnection: close/i)
  t.same(authAnswer.body, {
    code: 'HEADERS_TOO_LARGE',
    message: ERRORS.headers_too_large.ko,
    detail: ERRORS.headers_too_large.ko
  })

  const api = await rawExchange(port, [
    'POST /api/token/refresh/ HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Type: application/json\r\n' +
      `${big}\r\n{}`
  ])
  t.equal(api.error, null, 'no reset under the answer')
  t.same(
    [parse(api.response).status, parse(api.response).body],
    [431, { detail: ERRORS.headers_too_large.en, code: 'headers_too_large' }],
    'the phone door, in English'
  )

  // The request line went out in an earlier packet: no door to go by, so the email door's
  // envelope, whose `detail` and `code` a phone-door client reads too.
  const split = await rawExchange(port, ['GET /api/users/me/ HTTP/1.1\r\nHost: x\r\n', big, '\r\n'], 50)
  t.same(
    [parse(split.response).status, parse(split.response).body],
    [431, { code: 'HEADERS_TOO_LARGE', message: ERRORS.headers_too_large.ko, detail: ERRORS.headers_too_large.ko }]
  )
})

t.test('what Node refuses before there is a request: 400 unreadable, 408 too slow, in a door\'s format', async (t) => {
  const { port } = await listening(t)
  const badLength = parse(
    (await rawExchange(port, ['POST /api/token/refresh/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'])).response
  )
  t.same(
    [badLength.status, badLength.body],
    [400, { detail: ERRORS.parse_error.ko, code: 'parse_error' }],
    'a malformed Content-Length, phone door'
  )
  const garbage = parse((await rawExchange(port, ['\u0001\u0002 nonsense\r\n\r\n'])).response)
  t.same(
    [garbage.status, garbage.body],
    [400, { code: 'INVALID_INPUT', message: ERRORS.parse_error.ko, detail: ERRORS.parse_error.ko }],
    "no request line: the email door's envelope"
  )

  // Node's own timeouts on a server of this test's (the app's are Node's defaults, a minute and more).
  const server = createServer(
    { headersTimeout: 300, requestTimeout: 400, connectionsCheckingInterval: 50 },
    (_request, response) => {
      response.end()
    }
  )
  server.on('clientError', clientErrorHandler(createLogger('silent')))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const slow = await rawExchange((server.address() as { port: number }).port, [
    'GET /api/users/me/ HTTP/1.1\r\nHost: x\r\n'
  ])
  t.same(
    [parse(slow.response).status, parse(slow.response).body],
    [408, { code: 'REQUEST_TIMEOUT', message: ERRORS.request_timeout.ko, detail: ERRORS.request_timeout.ko }]
  )
})

t.test('the service still answers after the refusals', async (t) => {
  const { app, port } = await listening(t)
  await fetchTries(`http://127.0.0.1:${port}/auth/register`, 3, 2, 'length')
  await rawExchange(port, [`GET /auth/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`])
  const health = await fetch(`http://127.0.0.1:${port}/health`)
  t.equal(health.status, 200)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
})
