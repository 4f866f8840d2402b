import { randomBytes } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  IdentityVerification,
  IdentityVerificationVerifiedCustomer
} from '@portone/server-sdk/identityVerification'

/** A CI as Korean providers issue them: 64 bytes in base64, 88 characters. Random, so every test has its own person. */
export const fakeCi = (): string => randomBytes(64).toString('base64')
/** A DI: 48 bytes in base64, 64 characters. */
export const fakeDi = (): string => randomBytes(48).toString('base64')

/** What PortOne records of a verified person. An override set to undefined leaves the field out, as PortOne does. */
export type StandInCustomer = Partial<IdentityVerificationVerifiedCustomer>

/** A realistic person; tests that need their own CI pass fakeCi(). */
const DEFAULT_CUSTOMER: IdentityVerificationVerifiedCustomer = {
  name: '홍길동',
  phoneNumber: '01012345678',
  birthDate: '1990-01-15',
  gender: 'MALE',
  isForeigner: false,
  operator: 'SKT',
  ci: 'DZ7wVibH+Gq2MIg4WChzLC++ta4fnRxFTXC3161WDguK+MA3ftr18uVN5+qPOOxugJIMaxhbCNh6djRoQDTITA==',
  di: '0yJrbRnNVReE1j2w+ucyLyiPSdiBuw/7JuIwv/oYFUgtcRZCtyawRAFifKn7rDL1'
}

export interface StandInRequest {
  method: string
  /** The path as sent, percent-encoding kept. */
  path: string
  /** The storeId query parameter, or null when none was sent. */
  storeId: string | null
  authorization: string | null
}

interface Stored { storeId: string, record: IdentityVerification }

/**
 * A stand-in for PortOne's V2 API on 127.0.0.1: GET /identity-verifications/{id}?storeId=...,
 * answered as PortOne does. `Authorization: PortOne <secret>` is checked first (401 UNAUTHORIZED),
 * an unknown id is 404 IDENTITY_VERIFICATION_NOT_FOUND, an id recorded under another store is
 * 403 FORBIDDEN, and a known one is 200 with the record as the SDK's types describe it.
 */
export async function startPortOneStandIn ({ secret, storeId }: { secret: string, storeId: string }) {
  const stored = new Map<string, Stored>()
  const requests: StandInRequest[] = []
  let next: Failure | 'hang' | null = null

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in')
    const asked = url.searchParams.get('storeId')
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      storeId: asked,
      authorization: request.headers.authorization ?? null
    })
    request.resume()
    const failure = next
    next = null
    if (failure === 'hang') return // taken, never answered
    if (failure !== null) return fail(response, failure)
    if (request.headers.authorization !== `PortOne ${secret}`) {
      return json(response, 401, { type: 'UNAUTHORIZED', message: 'The API secret is invalid.' })
    }
    const match = /^\/identity-verifications\/([^/]+)$/.exec(url.pathname)
    if (request.method !== 'GET' || match === null) {
      return json(response, 404, { type: 'NOT_FOUND', message: 'No such resource.' })
    }
    const entry = stored.get(decodeURIComponent(match[1]!))
    if (entry === undefined) {
      return json(response, 404, {
        type: 'IDENTITY_VERIFICATION_NOT_FOUND',
        message: 'The identity verification does not exist.'
      })
    }
    // Without storeId, PortOne reads the secret's own store.
    if (entry.storeId !== (asked ?? storeId)) {
      return json(response, 403, { type: 'FORBIDDEN', message: 'The store may not read this identity verification.' })
    }
    json(response, 200, entry.record)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,

    /**
     * A completed verification of the default person with `customer` overrides. `recordId`
     * answers the record under another id than the one asked for (a provider fault).
     */
    addVerified (
      id: string,
      customer: StandInCustomer = {},
      options: { verifiedAt?: Date, storeId?: string, recordId?: string } = {}
    ) {
      const verifiedAt = options.verifiedAt ?? new Date()
      const record: IdentityVerification = {
        status: 'VERIFIED',
        id: options.recordId ?? id,
        verifiedCustomer: { ...DEFAULT_CUSTOMER, ...customer } as IdentityVerificationVerifiedCustomer,
        ...times(verifiedAt),
        verifiedAt: verifiedAt.toISOString(),
        pgTxId: `danal-${randomBytes(8).toString('hex')}`,
        pgRawResponse: JSON.stringify({ RETURNCODE: '0000', RETURNMSG: 'OK' }),
        version: 'V2'
      }
      stored.set(id, { storeId: options.storeId ?? storeId, record })
    },

    /** Started, never completed: READY. */
    addPending (id: string, options: { storeId?: string } = {}) {
      stored.set(id, {
        storeId: options.storeId ?? storeId,
        record: { status: 'READY', id, requestedCustomer: {}, ...times(new Date()), version: 'V2' }
      })
    },

    /** The person gave up or the carrier refused: FAILED. */
    addFailed (id: string, options: { storeId?: string } = {}) {
      stored.set(id, {
        storeId: options.storeId ?? storeId,
        record: {
          status: 'FAILED',
          id,
          requestedCustomer: {},
          ...times(new Date()),
          failure: { reason: '본인인증이 취소되었습니다.', pgCode: 'CANCEL', pgMessage: 'user cancelled' },
          version: 'V2'
        }
      })
    },

    /**
     * The next request, whatever it is, fails: with this HTTP status and PortOne's error JSON
     * (INTERNAL_SERVER_ERROR, or the error given), a gateway's HTML page (`html`), or it is taken
     * and never answered (`hang`).
     */
    failNext (how: number | 'hang', body: Failure['body'] = 'json') {
      next = how === 'hang' ? 'hang' : { status: how, body }
    },

    /** Stops listening and drops every connection, a request left hanging on purpose included. */
    close () {
      return new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    }
  }
}

export type PortOneStandIn = Awaited<ReturnType<typeof startPortOneStandIn>>

function times (at: Date) {
  const requestedAt = new Date(at.getTime() - 45_000).toISOString()
  return { requestedAt, updatedAt: at.toISOString(), statusChangedAt: at.toISOString() }
}

interface Failure { status: number, body: 'json' | 'html' | { type: string, message?: string } }

function fail (response: ServerResponse, { status, body }: Failure) {
  if (body === 'json') return json(response, status, { type: 'INTERNAL_SERVER_ERROR', message: 'Internal error.' })
  if (body !== 'html') return json(response, status, body)
  response.writeHead(status, { 'content-type': 'text/html' })
  response.end(`<html><body><h1>${status} Bad Gateway</h1></body></html>`)
}

function json (response: ServerResponse, status: number, payload: object) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(payload))
}
