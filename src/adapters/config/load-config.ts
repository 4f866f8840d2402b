import { readFileSync } from 'node:fs'
import { isIPv4, isIPv6 } from 'node:net'
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../../application/audit/audit-retention.js'
import { EMAIL_VERIFICATION_MODES } from '../../application/members/member-email.js'
import { ConfigError } from './config-error.js'
import { readArgon2Settings } from './argon2-config.js'
import { readDatabaseConnection, readDataDir } from './database-config.js'
import { EnvReader } from './env-reader.js'
import { readIdentityConfig } from './identity-config.js'
import { readRedisConnection } from './redis-config.js'
import { readSignInConfig } from './sign-in-config.js'
import { readJwtKeys } from './jwt-keys-config.js'
import { isExampleHost, mailDomain, urlHost } from './example-hosts.js'
import { MIN_SECRET_BITS, secretBits } from './secret-strength.js'
import { checkSmsConfig, readSmsConfig } from './sms-config.js'

export { ConfigError } from './config-error.js'

export type Config = ReturnType<typeof loadConfig>

/**
 * Connections per instance. One event loop issues the queries, and postgres.js pipelines them on
 * busy connections, sending what a turn of the loop queued in one write: on 2 cores 4 connections
 * served 35% more code logins than 20, at two thirds of PostgreSQL's CPU per request (bench/README.md).
 */
const DEFAULT_POOL_SIZE = 4

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * The only reader of the environment. Every variable is validated here at start-up; a bad one
 * stops the process with a message naming it. Production refuses the embedded defaults, guessable
 * signing keys and example hosts.
 */
export function loadConfig (env: Record<string, string | undefined>) {
  const read = new EnvReader(env)
  const production = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') === 'production'
  const jwtSecret = read.optional('JWT_SECRET')

  const config = {
    port: read.integer('PORT', 3000, { min: 0, max: 65535 }),
    host: read.string('HOST', '127.0.0.1'),
    dataDir: readDataDir(read),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    // Readable lines (pino-pretty) when a person watches a terminal; never in production, whose
    // log pipeline reads one JSON object a line. main.ts adds the terminal check.
    prettyLogs: !production,
    trustProxy: parseTrustProxy(read),
    database: {
      ...readDatabaseConnection(read),
      poolSize: read.integer('DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, { min: 1, max: 500 }),
      queryTimeoutSeconds: read.duration('DATABASE_QUERY_TIMEOUT', 5, { min: 1 })
    },
    redis: readRedisConnection(read),
    jwt: {
      secret: jwtSecret,
      issuer: read.string('JWT_ISSUER', 'mobile-auth'),
      audience: read.string('JWT_AUDIENCE', 'mobile-apps'),
      // JWT_KEYS, JWT_SIGNING_KEY, JWT_SECRET_VERIFIES: the token keys as a set (jwt-keys-config.ts).
      keys: readJwtKeys(read, jwtSecret)
    },
    tokens: {
      accessTtlSeconds: read.duration('ACCESS_TOKEN_TTL', 15 * 60),
      refreshTtlSeconds: read.duration('REFRESH_TOKEN_TTL', 30 * 86400),
      emailAccessTtlSeconds: read.duration('EMAIL_ACCESS_TOKEN_TTL', 30 * 86400),
      leewaySeconds: read.duration('TOKEN_LEEWAY', 5, { min: 0 }),
      reuseGraceSeconds: read.duration('REFRESH_REUSE_GRACE', 10, { min: 0 })
    },
    argon2: readArgon2Settings(read),
    phone: {
      defaultRegion: read.string('DEFAULT_PHONE_REGION', 'KR').toUpperCase()
    },
    otp: {
      ttlSeconds: read.duration('OTP_TTL', 180),
      resendCooldownSeconds: read.duration('OTP_RESEND_COOLDOWN', 60),
      maxTries: read.integer('OTP_MAX_TRIES', 5, { min: 1, max: 20 }),
      testCodes: parseTestCodes(read),
      allowedCountries: read
        .string('SMS_ALLOWED_COUNTRIES', 'KR')
        .split(',')
        .map(code => code.trim().toUpperCase())
        .filter(code => code !== ''),
      hideUnknownNumbers: read.boolean('OTP_HIDE_UNKNOWN_NUMBERS', false)
    },
    sms: readSmsConfig(read, production),
    // PORTONE_* and IDENTITY_*: PortOne is optional in production too (identity-config.ts).
    identity: readIdentityConfig(read),
    // KAKAO_*, APPLE_*, GOOGLE_*, WEBAUTHN_*, ANDROID_APPS: sign-in with providers and passkeys (sign-in-config.ts).
    signIn: readSignInConfig(read),
    mail: {
      smtpUrl: read.url('SMTP_URL', ['smtp:', 'smtps:']),
      from: parseMailFrom(read),
      timeoutMs: read.integer('SMTP_TIMEOUT_MS', 10000, { min: 100, max: 120000 })
    },
    mediaBaseUrl: read.string('MEDIA_BASE_URL', '/media/'),
    uploads: {
      maxBytes: read.integer('UPLOAD_MAX_BYTES', 10 * 1024 * 1024, { min: 1024, max: 5 * 1024 * 1024 * 1024 }),
      formTtlSeconds: read.duration('UPLOAD_FORM_TTL', 600, { min: 10 }),
      readLinkTtlSeconds: read.duration('VERIFICATION_LINK_TTL', 300, { min: 10 }),
      // Where the embedded store's upload form and signed links point: this service, as apps reach it.
      publicUrl: read.url('PUBLIC_URL', ['http:', 'https:'])
    },
    s3: {
      bucket: read.optional('S3_BUCKET'),
      region: read.string('S3_REGION', 'us-east-1'),
      endpoint: read.url('S3_ENDPOINT', ['http:', 'https:']),
      forcePathStyle: read.boolean('S3_FORCE_PATH_STYLE', read.raw('S3_ENDPOINT') !== undefined),
      accessKeyId: read.optional('S3_ACCESS_KEY_ID'),
      secretAccessKey: read.optional('S3_SECRET_ACCESS_KEY'),
      timeoutMs: read.integer('S3_TIMEOUT_MS', 5000, { min: 100, max: 60000 })
    },
    firebase: {
      serviceAccount: parseServiceAccount(read)
    },
    adminApiKey: read.optional('ADMIN_API_KEY'),
    rateLimits: {
      enabled: read.boolean('RATE_LIMIT_ENABLED', true),
      perAddress: {
        max: read.integer('RATE_LIMIT_PER_ADDRESS', 30, { min: 1 }),
        windowSeconds: read.duration('RATE_LIMIT_ADDRESS_WINDOW', 60)
      },
      allowList: parseAllowList(read),
      guesses: {
        perAddress: read.integer('LOGIN_FAILURES_PER_ADDRESS', 5, { min: 1, max: 100 }),
        lockSeconds: read.duration('LOGIN_LOCK', 15 * 60),
        perTarget: read.integer('LOGIN_FAILURES_PER_TARGET', 20, { min: 1 }),
        maxDelaySeconds: read.duration('LOGIN_DELAY_MAX', 5 * 60)
      },
      sms: {
        perAddressDaily: read.integer('SMS_DAILY_CAP_PER_ADDRESS', 5, { min: 1 }),
        perNumberDaily: read.integer('SMS_DAILY_CAP_PER_NUMBER', 10, { min: 1 }),
        hourly: read.integer('SMS_HOURLY_CAP', 1000, { min: 1 })
      }
    },
    // optional: verification is offered and login works without it (the email app as it ships).
    emailVerification: read.oneOf('EMAIL_VERIFICATION', EMAIL_VERIFICATION_MODES, 'optional'),
    retention: {
      // Whole days, at least one: a zero period would erase the trail as it is written. A century at most.
      auditDays: read.integer('AUDIT_RETENTION_DAYS', DEFAULT_AUDIT_RETENTION_DAYS, {
        min: 1,
        max: MAX_RETENTION_DAYS
      }),
      // Unset: verification files are kept until an admin purges them or the member is deleted.
      verificationFilesDays:
        read.raw('VERIFICATION_FILES_RETENTION_DAYS') === undefined
          ? null
          : read.integer('VERIFICATION_FILES_RETENTION_DAYS', 1, { min: 1, max: MAX_RETENTION_DAYS })
    },
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1024 * 1024, { min: 1024, max: 100 * 1024 * 1024 }),
    metrics: {
      // A port of its own implies metrics: an Ingress that routes to the API port never exposes them.
      port: read.raw('METRICS_PORT') === undefined ? null : read.integer('METRICS_PORT', 0, { min: 0, max: 65535 }),
      enabled: read.boolean('METRICS_ENABLED', read.raw('METRICS_PORT') !== undefined)
    },
    /** Variables that look like typos of ours: warned about at start-up, never fatal. */
    nearMisses: [] as Array<{ variable: string, known: string }>,
    /** Variables of earlier versions that are set but no longer read: warned about at start-up. */
    retired: RETIRED.filter(name => read.raw(name) !== undefined)
  }

  if (config.jwt.secret !== null && config.jwt.secret.length < 32) {
    read.fail('JWT_SECRET', 'must be at least 32 characters', null)
  }
  if (config.adminApiKey !== null && config.adminApiKey.length < 24) {
    read.fail('ADMIN_API_KEY', 'must be at least 24 characters', null)
  }
  checkSmsConfig(read, config.sms, production, config.otp.allowedCountries)
  const { mail } = config
  if (mail.smtpUrl !== null && new URL(mail.smtpUrl).hostname === '') {
    read.fail('SMTP_URL', 'must name the server, such as smtps://user:password@smtp.example.net', null)
  }
  if (!production && mail.smtpUrl !== null && read.raw('MAIL_FROM') === undefined) {
    read.fail('MAIL_FROM', 'is required with SMTP_URL', null)
  }
  if (config.metrics.port !== null && config.metrics.port !== 0 && config.metrics.port === config.port) {
    read.fail('METRICS_PORT', 'must differ from PORT', null)
  }
  if ((config.s3.accessKeyId === null) !== (config.s3.secretAccessKey === null)) {
    read.fail('S3_SECRET_ACCESS_KEY', 'and S3_ACCESS_KEY_ID must be set together', null)
  }
  if (config.otp.allowedCountries.some(code => !/^[A-Z]{2}$/.test(code))) {
    read.fail('SMS_ALLOWED_COUNTRIES', 'must be two-letter region codes separated by commas, such as KR,JP', null)
  }
  if (!/^[A-Z]{2}$/.test(config.phone.defaultRegion)) {
    read.fail('DEFAULT_PHONE_REGION', 'must be a two-letter region code such as KR', null)
  }
  if (production) {
    // Every missing variable in one report: an operator fixes them all in one round.
    // raw, not the parsed value: a malformed SMTP_URL is already reported, once.
    if (read.raw('SMTP_URL') === undefined) {
      read.fail(
        'SMTP_URL',
        'is required when NODE_ENV=production (the log-only mail sender would write codes to the log)',
        null
      )
    }
    if (read.raw('MAIL_FROM') === undefined) read.fail('MAIL_FROM', 'is required when NODE_ENV=production', null)
    if (config.database.url === null) {
      read.fail('DATABASE_URL', 'is required when NODE_ENV=production (the embedded database is for one machine)', null)
    }
    if (config.redis.url === null && config.redis.sentinels === null) {
      read.fail('REDIS_URL', 'is required when NODE_ENV=production (in-memory stores do not scale out)', null)
    }
    if (config.jwt.secret === null) {
      read.fail('JWT_SECRET', 'is required when NODE_ENV=production (a generated secret is for one machine)', null)
    }
    if (config.s3.bucket === null) {
      read.fail(
        'S3_BUCKET',
        'is required when NODE_ENV=production (files on local disk are not shared between instances)',
        null
      )
    }
    for (const name of SECRET_VARIABLES) {
      const value = read.raw(name)
      if (value === undefined) continue
      // Named, never echoed: the value may be half a real secret. A variable already refused (a
      // placeholder is rarely a valid key) is named once.
      const named = read.problems.some(problem => problem.startsWith(`${name} `))
      if (PLACEHOLDER.test(value) && !named) {
        read.fail(name, 'holds a placeholder value (as in the example Secret): set the real one', null)
      } else if (
        // A guessable key forges tokens or admin calls. One already refused as too short is named once.
        SIGNING_KEYS.includes(name) &&
        !named &&
        secretBits(value) < MIN_SECRET_BITS
      ) { read.fail(name, GUESSABLE, null) }
    }
    // Where mail comes from and what the apps follow: an example host left in place sends both nowhere.
    const publicHosts = [
      ['MAIL_FROM', mail.from === null ? null : mailDomain(mail.from)],
      ['MEDIA_BASE_URL', urlHost(config.mediaBaseUrl)],
      ['PUBLIC_URL', config.uploads.publicUrl === null ? null : urlHost(config.uploads.publicUrl)]
    ] as const
    for (const [name, host] of publicHosts) {
      if (host !== null && isExampleHost(host)) {
        read.fail(name, `names ${host}, an example host that reaches no one: set the real one`, null)
      }
    }
  }
  config.nearMisses = read.nearMisses()
  if (read.problems.length > 0) throw new ConfigError(read.problems, config.nearMisses)
  return config
}

// A century: any longer is a typo, and the cutoff date stays well inside what a Date holds.
const MAX_RETENTION_DAYS = 36_500

/**
 * Read no more: the per-target request limit locked members out and became the guess limits; code tries now belong to
 * each code.
 */
const RETIRED = ['RATE_LIMIT_PER_TARGET', 'RATE_LIMIT_TARGET_WINDOW', 'OTP_TRY_WINDOW']

/** Variables that carry credentials or point at real infrastructure: a placeholder there is a mistake. */
const SECRET_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_API_KEY',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'SOLAPI_API_KEY',
  'SOLAPI_API_SECRET',
  'PORTONE_API_SECRET',
  'SMTP_URL',
  'FIREBASE_SERVICE_ACCOUNT',
  'S3_BUCKET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'APPLE_PRIVATE_KEY'
]
/**
 * The keys this service signs and checks with itself (JWT_SECRET also keys code hashes and upload signatures); the rest
 * are vendors'.
 */
const SIGNING_KEYS = ['JWT_SECRET', 'ADMIN_API_KEY']
const GUESSABLE = `is guessable: it must carry ${MIN_SECRET_BITS} bits, and repeats, words, sequences and keyboard ` +
  'walks count for little (see src/adapters/config/secret-strength.ts); ' +
  'use a random value such as openssl rand -base64 32'
// deploy/secret.example.yaml's values all carry one of these; so do AWS's documented sample keys.
const PLACEHOLDER = /change-?me|example/i

/**
 * `SMS_TEST_OTP="+821012345678=123456,+821000000000=000000"`: numbers (E.164) with a fixed code.
 * Kept as written here; the composition root normalises them with the phone parser.
 */
function parseTestCodes (read: EnvReader): Map<string, string> {
  const codes = new Map<string, string>()
  const value = read.raw('SMS_TEST_OTP')
  if (value === undefined) return codes
  for (const entry of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^(\+\d{6,15})=(\d{6})$/.exec(entry)
    if (match === null) {
      return read.fail('SMS_TEST_OTP', 'must be "+<E.164 number>=<6 digits>" entries separated by commas', new Map())
    }
    codes.set(match[1]!, match[2]!)
  }
  return codes
}

// A bare address, or a display name (plain or quoted) and the address in <>; never a line break.
const MAIL_ADDRESS = String.raw`[^\s<>@"]+@[^\s<>@"]+\.[^\s<>@"]+`
const MAIL_FROM_SHAPE = new RegExp(String.raw`^(?:${MAIL_ADDRESS}|(?:[^<>"\r\n]*|"[^"\r\n]*")\s*<${MAIL_ADDRESS}>)$`)

/**
 * `MAIL_FROM="Mobile Auth <no-reply@auth.example.net>"` or a bare address: the From of every mail.
 * One line, one address: a line break would let the value write headers of its own.
 */
function parseMailFrom (read: EnvReader): string | null {
  const value = read.raw('MAIL_FROM')
  if (value === undefined) return null
  if (!MAIL_FROM_SHAPE.test(value)) {
    return read.fail(
      'MAIL_FROM',
      'must be an address or "Name <address>", such as Mobile Auth <no-reply@auth.example.net>',
      null
    )
  }
  return value
}

/** `RATE_LIMIT_ALLOWLIST`: addresses or CIDRs, comma-separated. */
function parseAllowList (read: EnvReader): string[] {
  const entries = (read.raw('RATE_LIMIT_ALLOWLIST') ?? '')
    .split(',')
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
  const valid = entries.every((entry) => {
    const [address = '', prefix] = entry.split('/')
    const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0
    return bits > 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))
  })
  return valid
    ? entries
    : read.fail(
      'RATE_LIMIT_ALLOWLIST',
      'must be addresses or CIDRs separated by commas, such as 127.0.0.1,10.0.0.0/8',
      []
    )
}

/** `TRUST_PROXY`: unset (trust nobody), `true`, a hop count, or a comma-separated list of addresses/CIDRs. */
function parseTrustProxy (read: EnvReader): boolean | number | string[] {
  const value = read.raw('TRUST_PROXY')
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  const valid = entries.every((entry) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))
  return valid
    ? entries
    : read.fail('TRUST_PROXY', 'must be true, a hop count, or addresses/CIDRs separated by commas', false)
}

/**
 * `FIREBASE_SERVICE_ACCOUNT`: the service-account JSON Google issues, as text or as the path of a
 * file holding it. Only the three fields firebase-admin needs are kept.
 */
function parseServiceAccount (read: EnvReader): { projectId: string, clientEmail: string, privateKey: string } | null {
  const value = read.raw('FIREBASE_SERVICE_ACCOUNT')
  if (value === undefined || value.trim() === '') return null
  try {
    const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8')
    const json = JSON.parse(text) as Record<string, unknown>
    const { project_id: projectId, client_email: clientEmail, private_key: privateKey } = json
    if (typeof projectId === 'string' && typeof clientEmail === 'string' && typeof privateKey === 'string') {
      return { projectId, clientEmail, privateKey }
    }
  } catch {}
  // The message never echoes the value: it holds a private key.
  return read.fail(
    'FIREBASE_SERVICE_ACCOUNT',
    'must be a service-account JSON (or a path to one) with project_id, client_email and private_key',
    null
  )
}
