import { pino, type Logger } from 'pino'

/** Redacted wherever they occur in a log line: secrets never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]',
  'password', 'token', 'code', 'refresh', 'access', 'access_token', 'authorization',
  '*.password', '*.token', '*.code', '*.refresh', '*.access', '*.access_token', '*.authorization'
]

/** JSON lines (pino), one logger for the HTTP adapter and the adapters that log (SMS, push). */
export function createLogger (level: string, stream?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  return stream === undefined ? pino(options) : pino(options, stream)
}
