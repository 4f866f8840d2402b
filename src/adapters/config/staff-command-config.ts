import { readArgon2Settings } from './argon2-config.js'
import { ConfigError } from './config-error.js'
import { readDatabaseConnection, readDataDir } from './database-config.js'
import { EnvReader } from './env-reader.js'
import { readRedisConnection } from './redis-config.js'

export type StaffCommandConfig = ReturnType<typeof loadStaffCommandConfig>

/**
 * What the staff commands (`node dist/cli.js staff ...`) need, and nothing else: the database,
 * DATA_DIR (the embedded database and the running service's staff inbox), Redis (where console
 * sessions are ended) and the password hash's cost, validated as the service validates them. A
 * Job that makes the first admin carries DATABASE_URL (and REDIS_URL), not the SMS, mail, storage
 * and signing secrets the service itself refuses to start without.
 *
 * In production the service runs on PostgreSQL with its console sessions in Redis: a command
 * there without DATABASE_URL would work on an embedded database nobody uses, and one that ends
 * sessions without Redis would report them ended while they go on.
 */
export function loadStaffCommandConfig (
  env: Record<string, string | undefined>,
  { endsSessions }: { endsSessions: boolean }
) {
  const read = new EnvReader(env)
  const production = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') === 'production'
  const config = {
    production,
    database: readDatabaseConnection(read),
    dataDir: readDataDir(read),
    redis: readRedisConnection(read),
    argon2: readArgon2Settings(read),
    /** How long a command on the embedded database waits for the running service to answer it. */
    inboxWaitMs: read.integer('STAFF_INBOX_WAIT_MS', 15_000, { min: 100, max: 600_000 })
  }
  if (production && config.database.url === null) {
    read.fail(
      'DATABASE_URL',
      'is required when NODE_ENV=production (the service never runs on the embedded database there)',
      null
    )
  }
  if (production && endsSessions && config.redis.url === null && config.redis.sentinels === null) {
    read.fail(
      'REDIS_URL',
      'is required when NODE_ENV=production for a command that ends console sessions (they are kept in Redis)',
      null
    )
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems, read.nearMisses())
  return config
}
