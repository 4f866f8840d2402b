import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import t, { type Test } from 'tap'
import { createLogSmsSender, type SmsSentEvent } from '../../src/adapters/system/log-sms-sender.js'
import { createTwilioSmsSender, type TwilioSmsOptions } from '../../src/adapters/twilio/twilio-sms-sender.js'
import { SmsUnavailableError } from '../../src/domain/errors.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { LocalTwilioClient } from '../helpers/sms-stand-ins.js'

const ACCOUNT_SID = 'AC' + '0123456789abcdef'.repeat(2)
const AUTH_TOKEN = 'auth-token-that-must-stay-secret'
const SERVICE_SID = 'MG' + 'fedcba9876543210'.repeat(2)
const TO = '+821012345678' as PhoneNumber
const CODE = '482913'
const BODY = `Your verification code is ${CODE}`

interface Received { method: string, path: string, authorization: string, form: URLSearchParams }
type Answer = (request: IncomingMessage, response: ServerResponse) => void

/** A stand-in for api.twilio.com on 127.0.0.1; records what the SDK sent, answers as told. */
async function startFakeTwilio (t: Test, answer: Answer) {
  const received: Received[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization ?? '',
        form: new URLSearchParams(Buffer.concat(chunks).toString())
      })
      answer(request, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    server.closeAllConnections() // a request left hanging on purpose must not hold the close
    server.close(() => resolve())
  }))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, received }
}

const createdMessage = (response: ServerResponse) => {
  response.writeHead(201, { 'content-type': 'application/json' })
  response.end(JSON.stringify({ sid: 'SM' + '1'.repeat(32), account_sid: ACCOUNT_SID, status: 'queued', to: TO }))
}

const twilioError = (status: number, payload: object): Answer => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(payload))
}

function sender (origin: string, overrides: Partial<TwilioSmsOptions> = {}) {
  return createTwilioSmsSender({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: '+15005550006',
    messagingServiceSid: null,
    timeoutMs: 300,
    httpClient: new LocalTwilioClient(origin),
    ...overrides
  })
}

/** Rejects with SmsUnavailableError, and nothing reachable from the error holds the code or the token. */
async function assertUnavailable (t: Test, sending: Promise<void>, mentions: RegExp) {
  const error = await sending.then(() => null, (error: unknown) => error)
  t.ok(error instanceof SmsUnavailableError, 'SmsUnavailableError')
  const described = inspect(error, { depth: 10, showHidden: true })
  t.match((error as Error).message, mentions)
  t.notOk(described.includes(CODE), 'the code is not in the error')
  t.notOk(described.includes(AUTH_TOKEN), 'the auth token is not in the error')
  t.notOk(described.includes(Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')), 'nor the auth header')
}

t.test('sends the Messages API request Twilio expects', async (t) => {
  const twilioApi = await startFakeTwilio(t, (_request, response) => createdMessage(response))
  await sender(twilioApi.origin).send(TO, BODY)

  t.equal(twilioApi.received.length, 1)
  const [request] = twilioApi.received as [Received]
  t.equal(request.method, 'POST')
  t.equal(request.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`)
  t.equal(request.authorization, 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'))
  t.equal(request.form.get('To'), '+821012345678')
  t.equal(request.form.get('From'), '+15005550006')
  t.equal(request.form.get('MessagingServiceSid'), null)
  t.match(request.form.get('Body'), CODE)
})

t.test('a configured messaging service replaces the sender number', async (t) => {
  const twilioApi = await startFakeTwilio(t, (_request, response) => createdMessage(response))
  await sender(twilioApi.origin, { from: null, messagingServiceSid: SERVICE_SID }).send(TO, BODY)

  const [request] = twilioApi.received as [Received]
  t.equal(request.form.get('MessagingServiceSid'), SERVICE_SID)
  t.equal(request.form.get('From'), null)
  t.equal(request.form.get('Body'), BODY)
})

t.test('without a sender number or messaging service it refuses to start', async (t) => {
  t.throws(() => sender('http://127.0.0.1:1', { from: null, messagingServiceSid: null }))
})

t.test('a Twilio 400 becomes SmsUnavailableError naming the status and code', async (t) => {
  const twilioApi = await startFakeTwilio(t, twilioError(400, {
    code: 21211,
    message: `Invalid 'To' Phone Number: ${BODY}`, // a vendor text that echoes input must not leak either
    more_info: 'https://www.twilio.com/docs/errors/21211',
    status: 400
  }))
  await assertUnavailable(t, sender(twilioApi.origin).send(TO, BODY), /HTTP 400, code 21211/)
})

t.test('a Twilio 500 becomes SmsUnavailableError', async (t) => {
  const twilioApi = await startFakeTwilio(
    t,
    twilioError(500, { code: 20500, message: 'Internal Server Error', status: 500 })
  )
  await assertUnavailable(t, sender(twilioApi.origin).send(TO, BODY), /HTTP 500/)
})

t.test('a Twilio problem-details (RFC 9457) answer becomes SmsUnavailableError', async (t) => {
  const twilioApi = await startFakeTwilio(t, twilioError(429, {
    type: 'https://www.twilio.com/docs/errors/20429', title: 'Too Many Requests', status: 429, code: 20429, detail: BODY
  }))
  await assertUnavailable(t, sender(twilioApi.origin).send(TO, BODY), /HTTP 429, code 20429/)
})

t.test('a refused connection becomes SmsUnavailableError', async (t) => {
  const origin = `http://127.0.0.1:${await releasedPort()}`
  await assertUnavailable(t, sender(origin).send(TO, BODY), /twilio unreachable \(ECONNREFUSED\)/)
})

t.test('a server that never answers makes send reject within the timeout', async (t) => {
  const twilioApi = await startFakeTwilio(t, () => {}) // reads the request, never answers
  const started = performance.now()
  await assertUnavailable(
    t,
    sender(twilioApi.origin, { timeoutMs: 300 }).send(TO, BODY),
    /did not answer within 300 ms/
  )
  const elapsed = performance.now() - started
  t.ok(elapsed >= 250 && elapsed < 2000, `rejected after ${Math.round(elapsed)} ms`)
  t.equal(twilioApi.received.length, 1, 'the request did reach the server')
})

t.test('the log sender hands the message to the log function', async (t) => {
  const events: SmsSentEvent[] = []
  await createLogSmsSender((event) => events.push(event)).send(TO, BODY)
  t.same(events, [{ event: 'sms.sent', to: '+821012345678', body: BODY }])
})

/** A port that was free a moment ago and has nothing listening on it now. */
async function releasedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
