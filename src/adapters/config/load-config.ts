import { resolve } from 'node:path'
import { EnvReader } from './env-reader.js'

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super('Invalid configuration:\n' + problems.map((problem) => `  - ${problem}`).join('\n'))
  }
}

export type Config = ReturnType<typeof loadConfig>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * The only reader of the environment. Every variable is validated here at start-up; a bad one
 * stops the process with a message naming it. Production refuses the embedded defaults.
 */
export function loadConfig (env: Record<string, string | undefined>) {
  const read = new EnvReader(env)
  const production = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') === 'production'

  const config = {
    production,
    port: read.integer('PORT', 3000, { min: 0, max: 65535 }),
    host: read.string('HOST', '127.0.0.1'),
    dataDir: resolve(read.string('DATA_DIR', './.data')),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    trustProxy: parseTrustProxy(read),
    database: {
      url: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
      poolSize: read.integer('DATABASE_POOL_SIZE', 20, { min: 1, max: 500 }),
      connectTimeoutSeconds: read.integer('DATABASE_CONNECT_TIMEOUT', 5, { min: 1, max: 120 })
    },
    redis: {
      url: read.url('REDIS_URL', ['redis:', 'rediss:']),
      keyPrefix: read.string('REDIS_KEY_PREFIX', 'auth:'),
      commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 2000, { min: 50, max: 60000 })
    },
    jwt: {
      secret: read.optional('JWT_SECRET'),
      issuer: read.string('JWT_ISSUER', 'mobile-auth'),
      audience: read.string('JWT_AUDIENCE', 'mobile-apps')
    },
    tokens: {
      accessTtlSeconds: read.duration('ACCESS_TOKEN_TTL', 15 * 60),
      refreshTtlSeconds: read.duration('REFRESH_TOKEN_TTL', 30 * 86400),
      emailAccessTtlSeconds: read.duration('EMAIL_ACCESS_TOKEN_TTL', 30 * 86400),
      leewaySeconds: read.duration('TOKEN_LEEWAY', 5, { min: 0 })
    },
    argon2: {
      memoryKiB: read.integer('ARGON2_MEMORY_KIB', 19456, { min: 19456, max: 4 * 1024 * 1024 }),
      iterations: read.integer('ARGON2_ITERATIONS', 2, { min: 2, max: 100 }),
      parallelism: read.integer('ARGON2_PARALLELISM', 1, { min: 1, max: 16 })
    },
    adminApiKey: read.optional('ADMIN_API_KEY'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1024 * 1024, { min: 1024, max: 100 * 1024 * 1024 })
  }

  if (config.jwt.secret !== null && config.jwt.secret.length < 32) read.fail('JWT_SECRET', 'must be at least 32 characters', null)
  if (config.adminApiKey !== null && config.adminApiKey.length < 24) read.fail('ADMIN_API_KEY', 'must be at least 24 characters', null)
  if (production) {
    if (config.database.url === null) read.fail('DATABASE_URL', 'is required when NODE_ENV=production (the embedded database is for one machine)', null)
    if (config.redis.url === null) read.fail('REDIS_URL', 'is required when NODE_ENV=production (in-memory stores do not scale out)', null)
    if (config.jwt.secret === null) read.fail('JWT_SECRET', 'is required when NODE_ENV=production (a generated secret is for one machine)', null)
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems)
  return config
}

/** `TRUST_PROXY`: unset (trust nobody), `true`, a hop count, or a comma-separated list of addresses/CIDRs. */
function parseTrustProxy (read: EnvReader): boolean | number | string[] {
  const value = read.raw('TRUST_PROXY')
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  const valid = entries.every((entry) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))
  return valid ? entries : read.fail('TRUST_PROXY', 'must be true, a hop count, or addresses/CIDRs separated by commas', false)
}
