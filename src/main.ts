import type { AddressInfo } from 'node:net'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { composeService } from './adapters/build-service.js'
import { ConfigError, loadConfig, type Config } from './adapters/config/load-config.js'
import { StoreUnreachableError, hintFor, reasonOf } from './adapters/startup-failure.js'
import { DataDirLockedError } from './adapters/local-storage/data-dir-lock.js'
import { createLogger, prettyStream } from './adapters/system/create-logger.js'

// The composition root: configuration -> adapters -> use-cases -> HTTP -> listen. Every line it
// prints is one JSON object (an operator's log pipeline reads nothing else), from the first
// (a refused configuration) to the last (`service.stopped`); a failed start exits non-zero.
let config: Config
try {
  config = loadConfig(process.env)
} catch (error) {
  const logger = createLogger('info')
  if (!(error instanceof ConfigError)) {
    logger.fatal({ event: 'startup.failed', cause: reasonOf(error) }, 'the service could not start')
    process.exit(1)
  }
  logger.fatal(
    { event: 'config.invalid', problems: error.problems, nearMisses: error.nearMisses },
    error.message
  )
  process.exit(78) // EX_CONFIG
}

// Readable lines for a person at a terminal; JSON for everything else (a pipe, a container's log).
const logger = createLogger(
  config.logLevel,
  config.prettyLogs && process.stdout.isTTY === true ? await prettyStream() : undefined
)
// Node's own warnings (a deprecation, a listener leak) are printed as plain text by a default
// listener: replaced by one that writes them as log lines.
process.removeAllListeners('warning')
process.on('warning', warning => {
  logger.warn(
    { event: 'node.warning', name: warning.name, warningCode: (warning as { code?: string }).code },
    warning.message
  )
})
for (const variable of config.retired) {
  logger.warn(
    { event: 'config.retired_variable', variable },
    `${variable} is no longer read: see docs/security.md for the limits that replaced it`
  )
}
for (const { variable, known } of config.nearMisses) {
  logger.warn(
    { event: 'config.unknown_variable', variable, known },
    `${variable} is not a variable of this service: did you mean ${known}?`
  )
}

let app: FastifyInstance
try {
  app = await composeService(config, logger)
  await app.listen({ host: config.host, port: config.port })
} catch (error) {
  if (error instanceof DataDirLockedError) {
    // Another instance holds the embedded database: a second writer would lose data (EX_CONFIG).
    logger.fatal(
      { event: 'data_dir.locked', dataDir: error.dataDir, pid: error.pid },
      `${error.message}: one instance per DATA_DIR`
    )
    process.exit(78)
  }
  const store = error instanceof StoreUnreachableError ? error.store : undefined
  const cause = error instanceof StoreUnreachableError ? error.reason : reasonOf(error)
  const hint = hintFor(cause.code, store)
  logger.fatal(
    {
      event: 'startup.failed',
      ...(error instanceof StoreUnreachableError ? { store, ...error.target } : {}),
      cause,
      ...(hint === undefined ? {} : { hint })
    },
    'the service could not start'
  )
  process.exit(1)
}

const url = publicUrl(app.server.address() as AddressInfo)
logger.info(
  { event: 'service.listening', url, docs: `${url}/docs`, console: `${url}/console/` },
  `listening on ${url}: API docs at ${url}/docs, the staff console at ${url}/console/`
)

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close pools, exit 0; the last line
// says so. A second signal, a timeout or a failing close exits 1, its `service.stopped` saying why.
// (close-with-grace's own messages are plain text on the console: every one of them is replaced.)
const SHUTDOWN_DELAY_MS = 10_000
const stopped = (exitCode: 0 | 1, reason: string, fields: Record<string, unknown> = {}) => {
  logger[exitCode === 0 ? 'info' : 'error'](
    { event: 'service.stopped', reason, exitCode, ...fields },
    exitCode === 0 ? 'stopped' : `stopped: ${reason}`
  )
}
closeWithGrace(
  {
    delay: SHUTDOWN_DELAY_MS,
    logger: {
      // What close-with-grace still logs itself: the shutdown below threw.
      error: (err: unknown) => {
        logger.error({ event: 'shutdown.failed', err }, 'closing the service failed')
        stopped(1, 'shutdown failed')
      }
    },
    onSecondSignal: signal => stopped(1, `second ${signal} while shutting down`, { signal }),
    onSecondError: err => {
      logger.error({ event: 'shutdown.failed', err }, 'another error while shutting down')
      stopped(1, 'second error while shutting down')
    },
    onTimeout: delay => stopped(1, `in-flight work still running after ${delay} ms`)
  },
  async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ event: 'service.stopping', err }, 'shutting down after an error')
    else app.log.info({ event: 'service.stopping', signal }, 'shutting down: finishing in-flight requests')
    await app.close()
    // close-with-grace exits right after: 1 after an error, else 0. pino writes what it holds at exit.
    if (err !== undefined) stopped(1, 'error')
    else if (signal !== undefined) stopped(0, signal, { signal })
    else stopped(0, 'nothing left to do')
  }
)

/** Where a person on this machine opens the service: the bound address, localhost for a wildcard one. */
function publicUrl ({ address, family, port }: AddressInfo): string {
  if (address === '0.0.0.0' || address === '::') return `http://localhost:${port}`
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`
}
