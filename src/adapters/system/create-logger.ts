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

/** JSON lines (pino), one logger for the HTTP adapter and the adapters that log (SMS, push). */
export function createLogger (level: string, stream?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  return stream === undefined ? pino(options) : pino(options, stream)
}
