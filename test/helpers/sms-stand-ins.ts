import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import twilio from 'twilio'

/** How a stand-in answers the next requests: as the vendor does, with its error body, or not at all. */
export type StandInMode = { accept: true } | { refuse: number } | { hang: true }

export interface DeliveredText { to: string, from: string | null, body: string }

/** An HTTP server on 127.0.0.1 for one test, closed (hanging requests too) at its teardown. */
async function listen (t: Test, handle: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => handle(request, Buffer.concat(chunks).toString(), response))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    server.closeAllConnections() // a request left hanging on purpose must not hold the close
    server.close(() => resolve())
  }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const json = (response: ServerResponse, status: number, payload: object) => {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(payload))
}

/**
 * A stand-in for Solapi's POST /messages/v4/send: checks the HMAC-SHA256 header against the
 * secret (signature over date + salt, date within 15 minutes), records what it accepted, and
 * refuses or hangs when told, answering refusals with Solapi's error body.
 */
export async function startSolapiStandIn (t: Test, credentials: { apiKey: string, apiSecret: string }) {
  const delivered: DeliveredText[] = []
  const rejectedSignatures: string[] = []
  let mode: StandInMode = { accept: true }
  const origin = await listen(t, (request, body, response) => {
    if (request.method !== 'POST' || request.url !== '/messages/v4/send') {
      return json(response, 404, { errorCode: 'NotFound', errorMessage: 'no such resource' })
    }
    const problem = signatureProblem(request.headers.authorization ?? '', credentials)
    if (problem !== null) {
      rejectedSignatures.push(problem)
      return json(response, 401, { errorCode: 'SignatureDoesNotMatch', errorMessage: problem })
    }
    if ('hang' in mode) return // read, never answered
    const { message } = JSON.parse(body) as { message: { to: string, from: string, text: string } }
    if ('refuse' in mode) {
      // Solapi's message may echo the input; the adapter must not pass it on.
      return json(response, mode.refuse, {
        errorCode: mode.refuse >= 500 ? 'InternalError' : 'ValidationError',
        errorMessage: `refused: ${message.text}`
      })
    }
    delivered.push({ to: message.to, from: message.from, body: message.text })
    json(response, 200, {
      groupId: 'G4V20261206000000ABCDEFGHIJKLMNO',
      messageId: 'M4V20261206000000ABCDEFGHIJKLMNO',
      accountId: '12345678',
      to: message.to,
      from: message.from,
      type: 'SMS',
      country: '82',
      statusCode: '2000',
      statusMessage: '정상 접수(이통사로 접수 예정) '
    })
  })
  return {
    origin,
    delivered,
    rejectedSignatures,
    setMode (next: StandInMode) { mode = next },
    /** The six-digit code last texted to a national number, as a member's phone would show it. */
    lastCodeSentTo (national: string): string | null {
      const text = delivered.findLast((entry) => entry.to === national)?.body
      return text === undefined ? null : /\b(\d{6})\b/.exec(text)?.[1] ?? null
    }
  }
}

function signatureProblem (
  header: string,
  { apiKey, apiSecret }: { apiKey: string, apiSecret: string }
): string | null {
  const match = /^HMAC-SHA256 apiKey=([^,]+), date=([^,]+), salt=([^,]+), signature=([0-9a-f]{64})$/.exec(header)
  if (match === null) return 'malformed authorization header'
  const [, key, date, salt, signature] = match as unknown as [string, string, string, string, string]
  if (key !== apiKey) return 'unknown api key'
  const at = Date.parse(date)
  if (Number.isNaN(at) || Math.abs(Date.now() - at) > 15 * 60_000) return 'date outside the allowed window'
  const expected = createHmac('sha256', apiSecret)
    .update(date + salt)
    .digest()
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? null : 'signature does not match'
}

/**
 * A stand-in for Twilio's Messages API: what the twilio SDK sent (form-encoded, basic auth),
 * answered as told with Twilio's error body.
 */
export async function startTwilioStandIn (t: Test, credentials: { accountSid: string, authToken: string }) {
  const delivered: DeliveredText[] = []
  let mode: StandInMode = { accept: true }
  const expectedAuth = 'Basic ' + Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')
  const origin = await listen(t, (request, body, response) => {
    if (request.url !== `/2010-04-01/Accounts/${credentials.accountSid}/Messages.json`) {
      return json(response, 404, { code: 20404, message: 'not found', status: 404 })
    }
    if (request.headers.authorization !== expectedAuth) {
      return json(response, 401, { code: 20003, message: 'Authenticate', status: 401 })
    }
    if ('hang' in mode) return
    const form = new URLSearchParams(body)
    if ('refuse' in mode) {
      return json(response, mode.refuse, {
        code: mode.refuse >= 500 ? 20500 : 21211,
        message: `refused: ${form.get('Body') ?? ''}`,
        status: mode.refuse
      })
    }
    delivered.push({ to: form.get('To') ?? '', from: form.get('From'), body: form.get('Body') ?? '' })
    json(response, 201, {
      sid: 'SM' + '1'.repeat(32),
      account_sid: credentials.accountSid,
      status: 'queued',
      to: form.get('To')
    })
  })
  return { origin, delivered, setMode (next: StandInMode) { mode = next }, httpClient: new LocalTwilioClient(origin) }
}

type RequestOptions<TData> = Parameters<twilio.RequestClient['request']>[0] & { data?: TData }

/**
 * twilio's own RequestClient (axios, basic auth, form encoding all real) with only the origin
 * swapped. Anything not addressed to api.twilio.com is refused, so no request leaves the machine.
 */
export class LocalTwilioClient extends twilio.RequestClient {
  constructor (private readonly origin: string) { super() } // twilio's 30 s default: the adapter must bound it
  override request<TData> (opts: RequestOptions<TData>) {
    const uri = new URL(opts.uri)
    if (uri.hostname !== 'api.twilio.com') throw new Error(`unexpected twilio host ${uri.hostname}`)
    return super.request({ ...opts, uri: this.origin + uri.pathname + uri.search })
  }
}
