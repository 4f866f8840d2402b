import type { FastifyInstance } from 'fastify'
import { makeUseCases } from '../application/make-use-cases.js'
import type { Config } from './config/load-config.js'
import { createAdapters } from './create-adapters.js'
import { buildApp } from './http/build-app.js'
import { createLogger } from './system/create-logger.js'

/**
 * The whole service from a configuration: adapters, use-cases, HTTP. Closing the app closes the
 * adapters (pools, Redis) after in-flight requests finish. Used by main.ts and the end-to-end tests.
 */
export async function buildService (config: Config, options: { logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const logger = createLogger(config.logLevel, options.logStream)
  const adapters = await createAdapters(config, logger)
  try {
    const app = await buildApp({
      useCases: makeUseCases(adapters, adapters.settings),
      settings: config,
      readiness: adapters.readiness,
      logger
    })
    app.addHook('onClose', async () => { await adapters.close() })
    for (const notice of adapters.notices) app.log.warn({ event: 'embedded.default' }, notice)
    return app
  } catch (error) {
    await adapters.close()
    throw error
  }
}
