import { join } from 'node:path'
import { ConfigError } from '../config/config-error.js'
import { loadMigrateConfig, type MigrateConfig } from '../config/database-config.js'
import type { DatabaseHandle } from '../drizzle/database.js'
import { DataDirLockedError, takeDataDirLock, type DataDirLock } from '../local-storage/data-dir-lock.js'
import { describePostgresUrl, hintFor, reasonOf } from '../startup-failure.js'
import { EXIT, MISCONFIGURED, type CommandOutcome, type ExitCode } from './command-outcome.js'
import { configInvalid } from './usage.js'

/**
 * `migrate`: applies the pending migrations and exits, as a deploy step before the rollout (a
 * Kubernetes Job). It reads the database's settings and nothing else (database-config.ts), so the
 * Job needs none of the service's other secrets. Two runs at once are safe: PostgreSQL's advisory
 * lock in migrate() lets one apply while the other waits, then finds nothing left to do; the
 * embedded database is refused while anyone else holds its DATA_DIR.
 */
export async function runMigrateCommand (env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  let config: MigrateConfig
  try {
    config = loadMigrateConfig(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return configInvalid(error)
  }
  const where = config.database.url === null
    ? { store: 'pglite' as const, dataDir: join(config.dataDir!, 'pglite') }
    : { store: 'postgres' as const, ...describePostgresUrl(config.database.url) }

  let lock: DataDirLock | null = null
  let database: DatabaseHandle | null = null
  try {
    // The embedded database is one writer's (data-dir-lock.ts): refused while a service holds it.
    if (config.dataDir !== null) lock = await takeDataDirLock(config.dataDir)
    database = await openDatabase(config)
    const applied = await database.migrate()
    return { code: EXIT.ok, line: { event: 'migrate.applied', ...where, count: applied.length, applied } }
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      return {
        code: EXIT.tryAgain,
        line: {
          event: 'migrate.failed',
          ...where,
          reason: 'data_dir_locked',
          pid: error.pid,
          hint: 'a running service (or another command) holds DATA_DIR: it migrates at start itself; ' +
            'or try again once the other command is done'
        }
      }
    }
    const cause = reasonOf(error)
    const hint = hintFor(cause.code, where.store)
    return {
      code: exitFor(cause.code),
      line: { event: 'migrate.failed', ...where, reason: cause.code, cause, ...(hint === undefined ? {} : { hint }) }
    }
  } finally {
    await database?.close().catch(() => {})
    await lock?.release()
  }
}

async function openDatabase ({ database, dataDir }: MigrateConfig): Promise<DatabaseHandle> {
  // Loaded only here: the command's refusals never pay for drizzle's and the drivers' modules.
  const { connectPostgres, openPglite } = await import('../drizzle/database.js')
  return database.url === null
    ? await openPglite(join(dataDir!, 'pglite'))
    : connectPostgres({
      url: database.url,
      poolSize: 2,
      connectTimeoutSeconds: database.connectTimeoutSeconds,
      // Behind PgBouncer before 1.21 (transaction mode) named statements lose committed writes.
      prepare: database.preparedStatements
    })
}

// The database did not answer: worth retrying once it is back (EX_UNAVAILABLE).
const UNREACHABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND',
  'EAI_AGAIN', '57P03', '53300'
])

/** Anything else (a migration's SQL failing) is a plain failure, whose line says which. */
function exitFor (code: string): ExitCode {
  return UNREACHABLE.has(code) ? EXIT.unavailable : MISCONFIGURED.has(code) ? EXIT.config : EXIT.failed
}
