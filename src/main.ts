import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { composeService } from './adapters/build-service.js'
import { ConfigError, loadConfig, type Config } from './adapters/config/load-config.js'
import { StoreUnreachableError, reasonOf } from './adapters/startup-failure.js'
import { DataDirLockedError } from './adapters/local-storage/data-dir-lock.js'
import { createLogger } from './adapters/system/create-logger.js'

// The composition root: configuration -> adapters -> use-cases -> HTTP -> listen. Whatever stops
// the start is one JSON line (an operator's log pipeline reads nothing else) and a non-zero exit.
let config: Config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  createLogger('info').fatal(
    { event: 'config.invalid', problems: error.problems, nearMisses: error.nearMisses },
    error.message
  )
  process.exit(78) // EX_CONFIG
}

const logger = createLogger(config.logLevel)
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
  const where = error instanceof StoreUnreachableError ? { store: error.store, ...error.target } : {}
  logger.fatal(
    {
      event: 'startup.failed',
      ...where,
      cause: error instanceof StoreUnreachableError ? error.reason : reasonOf(error)
    },
    'the service could not start'
  )
  process.exit(1)
}

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close pools, exit 0.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  await app.close()
})
