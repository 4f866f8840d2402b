import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { makeUseCases } from '../application/make-use-cases.js'
import type { PurgeDeletedFiles } from '../application/purge-deleted-files.js'
import type { Config } from './config/load-config.js'
import { createAdapters } from './create-adapters.js'
import { buildApp } from './http/build-app.js'
import { startMetricsServer } from './http/metrics-server.js'
import { countSmsSends } from './metrics/counting-sms-sender.js'
import { createServiceMetrics } from './metrics/service-metrics.js'
import { createLogger } from './system/create-logger.js'

/**
 * The whole service from a configuration: adapters, use-cases, HTTP. Closing the app closes the
 * adapters (pools, Redis) after in-flight requests finish. Used by main.ts and the end-to-end tests.
 */
export async function buildService (config: Config, options: { logStream?: NodeJS.WritableStream, logger?: Logger } = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? createLogger(config.logLevel, options.logStream)
  const metrics = config.metrics.enabled ? createServiceMetrics() : null
  const adapters = await createAdapters(config, logger, metrics)
  try {
    const sms = metrics === null ? adapters.sms : countSmsSends(adapters.sms, (result) => metrics.smsSends.inc({ result }))
    const useCases = makeUseCases({ ...adapters, sms }, adapters.settings)
    const app = await buildApp({ useCases, settings: config, readiness: adapters.readiness, logger, localFiles: adapters.localFiles, metrics })
    app.addHook('onListen', async () => {
      const address = app.server.address()
      if (address !== null && typeof address === 'object') adapters.listeningAt(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`)
    })
    const sweeper = startFileSweeper(app, useCases.purgeDeletedFiles)
    const metricsServer = metrics !== null && config.metrics.port !== null
      ? await startMetricsServer({ registry: metrics.registry, host: config.host, port: config.metrics.port })
      : null
    if (metricsServer !== null) app.log.info({ event: 'metrics.listening', port: metricsServer.address.port }, `metrics on port ${metricsServer.address.port}`)
    app.addHook('onClose', async () => {
      clearInterval(sweeper)
      if (metricsServer !== null) await new Promise((resolve) => metricsServer.server.close(resolve))
      await adapters.close()
    })
    for (const notice of adapters.notices) app.log.warn({ event: 'embedded.default' }, notice)
    return app
  } catch (error) {
    await adapters.close()
    throw error
  }
}

const SWEEP_EVERY_MS = 60_000

/** Deletes queued files of deleted members every minute (each instance; deletions are idempotent). */
function startFileSweeper (app: FastifyInstance, purge: PurgeDeletedFiles): NodeJS.Timeout {
  const timer = setInterval(() => {
    purge.due().then((report) => {
      if (report.deleted + report.failed > 0) app.log.info({ event: 'files.swept', ...report }, 'queued files of deleted members')
    }, (error: unknown) => app.log.warn({ event: 'files.sweep_failed', reason: (error as Error).constructor.name }, 'file sweep failed; next try in a minute'))
  }, SWEEP_EVERY_MS)
  timer.unref()
  return timer
}
