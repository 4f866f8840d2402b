import { pino, type Logger } from 'pino'

/**
 * Redacted wherever they occur in a log line: secrets never reach the logs. A one-time code is
 * redacted as a top-level `code`, as `otp` anywhere, or inside a logged body; a nested `code`
 * elsewhere (`err.code`: ECONNREFUSED, a SQLSTATE) is an error's identity and stays readable,
 * since without it an operator cannot tell why a store failed.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]',
  'password', 'token', 'code', 'otp', 'refresh', 'access', 'access_token', 'authorization', 'secret',
  '*.password', '*.token', '*.otp', '*.refresh', '*.access', '*.access_token', '*.authorization', '*.secret',
  'body.code', '*.body.code', 'input.code', '*.input.code'
]

/**
 * Query parameters whose values reach the logs as sent: none of them is a credential. Every other
 * value is redacted, names kept: a signed media link (`signature`), a token, a code or a key in a
 * URL would let anyone who reads the logs use it. `expires` stays readable: a time, not a
 * credential, and it tells an operator why a link was refused.
 */
const READABLE_QUERY: ReadonlySet<string> = new Set(['scope', 'status', 'page', 'page_size', 'expires'])

/** The URL with every query value but READABLE_QUERY's replaced by `[redacted]`; never throws. */
export function redactQuery (url: string): string {
  const mark = url.indexOf('?')
  if (mark === -1) return url
  const parts = url.slice(mark + 1).split('&').map((part) => {
    const equals = part.indexOf('=')
    const name = equals === -1 ? part : part.slice(0, equals)
    if (READABLE_QUERY.has(decodedName(name))) return part
    return equals === -1 ? (part === '' ? '' : '[redacted]') : `${name}=[redacted]`
  })
  return `${url.slice(0, mark)}?${parts.join('&')}`
}

function decodedName (name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '))
  } catch {
    return name // a malformed escape is no readable name: its value is redacted
  }
}

interface LoggedRequest { method?: string, url?: string, host?: string, ip?: string, socket?: { remotePort?: number } }

/** Fastify's request fields (its own `req` serializer, which this one replaces), the query redacted. */
const serializers = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: typeof req.url === 'string' ? redactQuery(req.url) : undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort
  })
}

/**
 * The same lines made readable for a person at a terminal (development): pino-pretty, loaded only
 * then, writing synchronously so that the last lines before an exit are not lost.
 */
export async function prettyStream (destination: NodeJS.WritableStream | 1 = 1): Promise<NodeJS.WritableStream> {
  const { default: pretty } = await import('pino-pretty')
  return pretty({ destination, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
}

/** JSON lines (pino), one logger for the HTTP adapter and the adapters that log (SMS, push). */
export function createLogger (level: string, stream?: NodeJS.WritableStream): Logger {
  const options = { level, serializers, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  return stream === undefined ? pino(options) : pino(options, stream)
}
