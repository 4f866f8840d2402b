import { resolve } from 'node:path'
import { ConfigError } from './config-error.js'
import { EnvReader } from './env-reader.js'

/**
 * Where the database is and how long to wait for it: read here, by the service (load-config.ts)
 * and by `migrate` alike, so the two can never disagree on what a DATABASE_URL means.
 */
export function readDatabaseConnection (read: EnvReader) {
  const url = read.url('DATABASE_URL', ['postgres:', 'postgresql:'])
  const replicaUrl = read.url('DATABASE_REPLICA_URL', ['postgres:', 'postgresql:'])
  if (url === null && replicaUrl !== null) {
    read.fail('DATABASE_REPLICA_URL', 'needs DATABASE_URL (the embedded database has no replica)', null)
  }
  return {
    /** Null: the embedded database (PGlite) in DATA_DIR. */
    url,
    connectTimeoutSeconds: read.integer('DATABASE_CONNECT_TIMEOUT', 5, { min: 1, max: 120 }),
    /**
     * False: every statement unnamed (postgres.js `prepare: false`), required behind PgBouncer
     * before 1.21 in transaction mode, which hands each transaction to any server connection, so a
     * statement prepared on one is missing on the next (left on, writes are lost: database.ts).
     * Costs a parse and a round trip per query with parameters (bench/README.md).
     */
    preparedStatements: read.boolean('DATABASE_PREPARED_STATEMENTS', true),
    /**
     * Connections of the second pool, for slow work (the console's search and counts, the audit
     * trail's browsing and export, the sweepers' scans), so a long scan never holds the connections
     * a sign-in waits for.
     */
    slowPoolSize: read.integer('DATABASE_SLOW_POOL_SIZE', 2, { min: 1, max: 100 }),
    /**
     * Where the slow pool reads; null: DATABASE_URL. A replica lags: a console search may miss a
     * member who signed up a second ago (database-ports.ts says which reads go there).
     */
    replicaUrl
  }
}

/** The embedded database's (and the local file store's) directory, absolute. */
export function readDataDir (read: EnvReader): string {
  return resolve(read.string('DATA_DIR', './.data'))
}

export type MigrateConfig = ReturnType<typeof loadMigrateConfig>

/**
 * What `migrate` needs, and nothing else: the database (DATA_DIR only when it is the embedded
 * one), validated as the service validates them. A migration Job then carries DATABASE_URL alone,
 * not the SMS, mail, storage, Redis and signing secrets the service itself refuses to start without.
 * NODE_ENV is read for one refusal: in production the service never runs on the embedded
 * database, so migrating one there would report success on a database nobody uses.
 */
export function loadMigrateConfig (env: Record<string, string | undefined>) {
  const read = new EnvReader(env)
  const production = read.raw('NODE_ENV') === 'production'
  const database = readDatabaseConnection(read)
  const dataDir = database.url === null ? readDataDir(read) : null
  if (production && database.url === null) {
    read.fail(
      'DATABASE_URL',
      'is required when NODE_ENV=production (the service never runs on the embedded database there)',
      null
    )
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems, read.nearMisses())
  return { database, dataDir }
}
