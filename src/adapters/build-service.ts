import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { makeUseCases } from '../application/make-use-cases.js'
import type { SweepAudit } from '../application/audit/audit-retention.js'
import type { DurableRevocations } from '../application/sessions/durable-revocations.js'
import type { SweepVerificationFiles } from '../application/files/sweep-verification-files.js'
import type { Config } from './config/load-config.js'
import { coreSettings, createAdapters, type Adapters } from './create-adapters.js'
import { buildApp } from './http/build-app.js'
import { serveStaffInbox, type StaffRequest, type StaffResponse } from './local-storage/staff-inbox.js'
import { s3Origin } from './s3/s3-origin.js'
import { memberTexts } from '../application/members/member-texts.js'
import type { ReadinessChecks } from './http/routes/health-routes.js'
import { withDeadline } from './system/with-deadline.js'
import type { AddStaff } from '../application/staff/add-staff.js'
import { ValidationError } from '../domain/errors.js'
import { startMetricsServer } from './http/metrics-server.js'
import { countSmsSends } from './metrics/counting-sms-sender.js'
import { countAuditEvents } from './metrics/counting-audit-log.js'
import { createServiceMetrics, type ServiceMetrics } from './http/service-metrics.js'

export interface ServiceParts {
  config: Config
  adapters: Adapters
  logger: Logger
  /** Null: no metrics are kept (and `/metrics` is an unknown route). */
  metrics: ServiceMetrics | null
}

/**
 * The service from any adapter set: use-cases, HTTP, the sweepers, the metrics port. Closing
 * the app closes the adapters (pools, Redis) after in-flight requests finish. The one wiring path:
 * production (composeService below) and the tests (test/helpers/build-test-app.ts) both come here.
 */
export async function buildService ({ config, adapters, logger, metrics }: ServiceParts): Promise<FastifyInstance> {
  try {
    const { ports } = adapters
    const sms = metrics === null ? ports.sms : countSmsSends(ports.sms, (result) => metrics.smsSends.inc({ result }))
    const audit = metrics === null
      ? ports.audit
      : countAuditEvents(ports.audit, {
        written: action => metrics.auditEvents.inc({ action }),
        failed: action => metrics.auditFailures.inc({ action })
      })
    // Each scrape asks the stores as /ready does, so an alert sees a store down from the metrics alone.
    metrics?.watchDependencies(bounded(adapters.readiness))
    const useCases = makeUseCases({ ...ports, sms, audit }, coreSettings(config, ports.phones), memberTexts)
    // Before the first answer: a token store that lost its data (or, embedded, a new process's) is
    // refilled from its durable copy. If Redis or the database is down now, the first request to
    // meet the loss retries, answering 503 meanwhile.
    await useCases.securityState
      .ensureWhole()
      .catch((error: unknown) =>
        logger.warn(
          { event: 'security_state.restore_failed', reason: (error as Error).constructor.name },
          'token state not restored yet; requests answer 503 until it is'
        )
      )
    const app = await buildApp({
      useCases,
      settings: { ...config, consoleImageOrigins: imageOrigins(config) },
      readiness: bounded(adapters.readiness),
      logger,
      localFiles: adapters.localFiles,
      metrics
    })
    const sweepers = [
      everyMinute(app, () => useCases.purgeDeletedFiles.due(), {
        done: { event: 'files.swept', message: 'queued files of deleted members' },
        failed: { event: 'files.sweep_failed', message: 'file sweep failed; next try in a minute' }
      }),
      // Apple's refresh tokens of deleted members: a deletion while Apple was down is revoked here.
      everyMinute(app, () => useCases.revokeProviderTokens(), {
        done: { event: 'provider_tokens.revoked', message: 'queued provider tokens revoked' },
        failed: { event: 'provider_tokens.revoke_failed', message: 'provider token sweep failed; next try in a minute' }
      })
    ]
    const stopSweeps = [
      startAuditSweeper(app, useCases.sweepAudit),
      startSecurityStateWriter(app, useCases.securityState, useCases.purgeUndos)
    ]
    if (config.retention.verificationFilesDays !== null) {
      stopSweeps.push(startVerificationFileSweeper(app, useCases.sweepVerificationFiles))
    }
    // The embedded database is this process's alone: staff:add hands its work over through DATA_DIR.
    if (config.database.url === null) {
      stopSweeps.push(
        serveStaffInbox(config.dataDir, staffInboxHandler(useCases.addStaff), error =>
          app.log.warn(
            { event: 'staff_inbox.failed', reason: (error as Error).constructor.name },
            'a staff:add request could not be answered'
          )
        )
      )
    }
    const metricsServer = metrics !== null && config.metrics.port !== null
      ? await startMetricsServer({ registry: metrics.registry, host: config.host, port: config.metrics.port })
      : null
    if (metricsServer !== null) {
      app.log.info(
        { event: 'metrics.listening', port: metricsServer.address.port },
        `metrics on port ${metricsServer.address.port}`
      )
    }
    app.addHook('onClose', async () => {
      for (const sweeper of sweepers) clearInterval(sweeper)
      for (const stop of stopSweeps) await stop()
      if (metricsServer !== null) await new Promise((resolve) => metricsServer.server.close(resolve))
      await adapters.close()
    })
    return app
  } catch (error) {
    await adapters.close()
    throw error
  }
}

/**
 * The production composition: metrics, the adapters chosen by configuration, then buildService.
 * Until the app listens, the embedded store's links point at the configured address; then at the
 * address it really listens on (PORT=0 in tests), unless PUBLIC_URL says where apps reach it.
 */
export async function composeService (config: Config, logger: Logger): Promise<FastifyInstance> {
  const metrics = config.metrics.enabled ? createServiceMetrics() : null
  let listening =
    `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`
  const adapters = await createAdapters(config, {
    logger,
    metrics,
    origin: () => config.uploads.publicUrl ?? listening
  })
  const app = await buildService({ config, adapters, logger, metrics })
  app.addHook('onListen', async () => {
    const address = app.server.address()
    if (address !== null && typeof address === 'object') {
      listening = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
    }
  })
  return app
}

// A store that takes longer than this to answer a probe is down as far as a load balancer cares.
const READY_TIMEOUT_MS = 2000

/** Every readiness check with its deadline: a store behind a dead network never answers at all. */
function bounded (checks: ReadinessChecks): ReadinessChecks {
  return Object.fromEntries(
    Object.entries(checks).map(([name, check]) => [name, () => withDeadline(check(), READY_TIMEOUT_MS)])
  )
}

const SWEEP_EVERY_MS = 60_000

/** The write-behind of refresh rotations: every second (the exposure a loss can leave), and once more at close. */
const ROTATION_FLUSH_MS = 1000

function startSecurityStateWriter (
  app: FastifyInstance,
  state: DurableRevocations,
  purgeUndos: () => Promise<number>
): () => Promise<void> {
  const failed = (error: unknown) =>
    app.log.warn(
      { event: 'security_state.flush_failed', reason: (error as Error).constructor.name },
      'refresh rotations not written to the database yet; retried in a second'
    )
  const timer = setInterval(() => {
    state.flush().catch(failed)
  }, ROTATION_FLUSH_MS)
  timer.unref()
  const stopPurge = hourly(() => {
    Promise.all([state.purge(), purgeUndos()])
      .then(counts => counts[0] + counts[1])
      .then(
        removed => {
          if (removed > 0) {
            app.log.info(
              { event: 'security_state.purged', removed },
              'expired revocations, families and undo codes forgotten'
            )
          }
        },
        (error: unknown) =>
          app.log.warn(
            { event: 'security_state.purge_failed', reason: (error as Error).constructor.name },
            'purge failed; next try in an hour'
          )
      )
  })
  return async () => {
    clearInterval(timer)
    stopPurge()
    await state.flush().catch(failed)
  }
}

interface SweepEvents { done: { event: string, message: string }, failed: { event: string, message: string } }

/**
 * Runs a queue's sweep every minute (each instance; the queues' work is idempotent): the deleted
 * members' files, the provider tokens to revoke. A sweep that did something is logged with its
 * report; one that failed with the failure's kind only.
 */
function everyMinute (
  app: FastifyInstance,
  sweep: () => Promise<object>,
  { done, failed }: SweepEvents
): NodeJS.Timeout {
  const timer = setInterval(() => {
    sweep().then(
      report => {
        const counts = Object.values(report) as number[]
        if (counts.some(count => count > 0)) app.log.info({ event: done.event, ...report }, done.message)
      },
      (error: unknown) =>
        app.log.warn({ event: failed.event, reason: (error as Error).constructor.name }, failed.message)
    )
  }, SWEEP_EVERY_MS)
  timer.unref()
  return timer
}

const HOURLY_MS = 3_600_000

/**
 * Runs `sweep` a minute after start and then every hour, so an instance restarted more often than
 * hourly still sweeps. Answers what stops it.
 */
function hourly (sweep: () => void): () => void {
  const first = setTimeout(sweep, SWEEP_EVERY_MS)
  const timer = setInterval(sweep, HOURLY_MS)
  first.unref()
  timer.unref()
  return () => { clearTimeout(first); clearInterval(timer) }
}

/** Removes audit entries past AUDIT_RETENTION_DAYS every hour (each instance; the purge is idempotent). */
function startAuditSweeper (app: FastifyInstance, sweep: SweepAudit): () => void {
  return hourly(() => {
    sweep().then(
      removed => {
        if (removed > 0) app.log.info({ event: 'audit.swept', removed }, 'audit entries past their retention removed')
      },
      (error: unknown) =>
        app.log.warn(
          { event: 'audit.sweep_failed', reason: (error as Error).constructor.name },
          'audit sweep failed; next try in an hour'
        )
    )
  })
}

/** The console shows photos from the media base (when it is another origin) and verification files from the bucket. */
function imageOrigins (config: Config): string[] {
  const media = URL.parse(config.mediaBaseUrl)
  const origins = [
    media !== null && (media.protocol === 'https:' || media.protocol === 'http:') ? media.origin : null,
    s3Origin(config.s3)
  ]
  return origins.filter((origin): origin is string => origin !== null)
}

/**
 * Purges identity documents VERIFICATION_FILES_RETENTION_DAYS after the decision, every hour (each
 * instance; a member is purged once). The stored files then leave through the file sweeper's queue.
 */
function startVerificationFileSweeper (app: FastifyInstance, sweep: SweepVerificationFiles): () => void {
  return hourly(() => {
    sweep().then(
      ({ members, files, unrecorded }) => {
        if (members > 0) {
          app.log.info(
            { event: 'verification_files.swept', members, files },
            'verification files past their retention purged'
          )
        }
        if (unrecorded.length > 0) {
          app.log.warn(
            { event: 'audit.write_failed', action: 'member.files_purged', members: unrecorded },
            'purges missing from the audit trail'
          )
        }
      },
      (error: unknown) =>
        app.log.warn(
          { event: 'verification_files.sweep_failed', reason: (error as Error).constructor.name },
          'verification file sweep failed; next try in an hour'
        )
    )
  })
}

/** A `staff add` request as the command would have run it itself; its refusals travel back as data. */
function staffInboxHandler (addStaff: AddStaff) {
  return async (request: StaffRequest): Promise<StaffResponse> => {
    try {
      const { member } = await addStaff(
        {
          email: String(request.email),
          role: String(request.role),
          password: String(request.password),
          mustChangePassword: request.mustChangePassword === true
        },
        { kind: 'system' }
      )
      return { ok: true, email: member.email, role: member.role }
    } catch (error) {
      if (error instanceof ValidationError) return { ok: false, problems: error.fields, message: null }
      return { ok: false, problems: null, message: (error as Error).constructor.name }
    }
  }
}
