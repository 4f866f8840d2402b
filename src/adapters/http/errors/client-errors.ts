import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyBaseLogger, FastifyRequest } from 'fastify'
import { ERRORS, type ErrorCode } from './error-table.js'
import { errorBody } from './error-reply.js'

/** How long a socket stays open after its refusal, so the client can finish sending and read it. */
const LINGER_MS = 2_000
/** The request line, when the packet that failed holds it: `METHOD target HTTP/1.x`. */
const REQUEST_LINE = /^[A-Z]{1,20} (\S{1,8192}) HTTP\/1\.[01]\r?\n/
const ACCEPT_LANGUAGE = /\r?\naccept-language:[ \t]*([^\r\n]{0,200})/i

/** Node's own check before it answers at the socket: a response already started must not be corrupted. */
interface HttpSocket extends Socket { _httpMessage?: { headersSent: boolean } | null }

const answered = new WeakSet<Socket>()

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request
 * (a header section over `maxHeaderSize`: 431; a request that did not arrive in time: 408;
 * anything unreadable: 400) answered in a door's JSON format instead of Fastify's generic body.
 *
 * The door comes from the request line when the packet that failed holds it (a client that sends
 * its headers in one write, as HTTP clients do); else the email door's envelope
 * (`{"code", "message", "detail"}`), which also carries the phone door's `detail` and `code` keys,
 * so either app finds a text to show. The answer closes the connection, but the socket lingers
 * (reading and discarding) until the client closes or LINGER_MS: closing at once while the client
 * is still sending its headers would reset the connection under the answer.
 */
export const clientErrorHandler = (log: FastifyBaseLogger) => (error: ConnectionError, socket: Socket): void => {
  // Node keeps feeding the failed parser: one answer per socket, later errors are the same one.
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return
  answered.add(socket)
  const code: ErrorCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'parse_error'
  log.debug(
    { event: 'http.client_error', reason: error.code, status: ERRORS[code].status },
    'request refused before parsing'
  )
  const inFlight = (socket as HttpSocket)._httpMessage
  if (!socket.writable || (inFlight !== null && inFlight !== undefined && inFlight.headersSent)) {
    socket.destroy()
    return
  }
  // Fastify types rawPacket as a serialised Buffer; Node hands over the Buffer itself.
  const packet: unknown = error.rawPacket
  socket.end(rawResponse(code, Buffer.isBuffer(packet) ? packet : undefined))
  if (code === 'request_timeout') {
    socket.destroy()
    return
  }
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  timer.unref()
  socket.once('close', () => clearTimeout(timer)).once('end', () => socket.destroy())
}

function rawResponse (code: ErrorCode, rawPacket: Buffer | undefined): string {
  const head = rawPacket?.subarray(0, 16 * 1024).toString('latin1') ?? ''
  const target = REQUEST_LINE.exec(head)?.[1]
  // errorBody reads only the URL (for the door) and Accept-Language.
  const request = {
    url: target === undefined ? '/auth' : pathOf(target),
    headers: { 'accept-language': ACCEPT_LANGUAGE.exec(head)?.[1] }
  } as unknown as FastifyRequest
  const body = JSON.stringify(errorBody(request, code))
  const status = ERRORS[code].status
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
}

/** The path of an origin-form or absolute-form target (`http://host/auth/me` is `/auth/me`). */
function pathOf (target: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target)
  return absolute === null ? target : target.slice(absolute[0].length) || '/'
}
