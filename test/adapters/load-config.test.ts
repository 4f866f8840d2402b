import { generateKeyPairSync, randomBytes } from 'node:crypto'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/adapters/config/load-config.js'

/** randomBytes(32) in base64url, written down once: production refuses a guessable key. */
const SIGNING_SECRET = 'aHgWq5PRFj4OC5Dpc4UhkLDdYZ7I25qp36JriK9dq0w'
/** What production needs, with real-looking values. */
const LIVE = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/app',
  REDIS_URL: 'redis://cache:6379',
  JWT_SECRET: SIGNING_SECRET,
  TWILIO_ACCOUNT_SID: 'AC123',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+15005550006',
  S3_BUCKET: 'media',
  SMTP_URL: 'smtps://mailer:secret@smtp.mail.net',
  MAIL_FROM: 'Mobile Auth <no-reply@auth.mail.net>'
}
const refused = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env)
  } catch (error) {
    return (error as ConfigError).problems.map(problem => problem.split(' ')[0]!)
  }
  return []
}

t.test('no variables: the embedded default', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.database.url, null)
  t.equal(config.redis.url, null)
  t.equal(config.jwt.secret, null)
  t.equal(config.tokens.accessTtlSeconds, 900)
  t.equal(config.tokens.emailAccessTtlSeconds, 30 * 86400)
  t.same(config.argon2, { memoryKiB: 19456, iterations: 2, parallelism: 1 })
  t.equal(config.trustProxy, false)
})

t.test('durations, lists and numbers are parsed', async (t) => {
  const config = loadConfig({
    ACCESS_TOKEN_TTL: '10m',
    REFRESH_TOKEN_TTL: '7d',
    PORT: '8080',
    TRUST_PROXY: '10.0.0.0/8, 192.168.1.1',
    DATABASE_URL: 'postgres://u@db/app'
  })
  t.equal(config.tokens.accessTtlSeconds, 600)
  t.equal(config.tokens.refreshTtlSeconds, 7 * 86400)
  t.equal(config.port, 8080)
  t.same(config.trustProxy, ['10.0.0.0/8', '192.168.1.1'])
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
})

t.test('every bad variable is named in one error', async (t) => {
  const error = t.throws(() =>
    loadConfig({
      PORT: 'eighty',
      ACCESS_TOKEN_TTL: 'soon',
      DATABASE_URL: 'mysql://x',
      JWT_SECRET: 'short',
      LOG_LEVEL: 'loud',
      ARGON2_MEMORY_KIB: '1024'
    })
  ) as ConfigError
  t.ok(error instanceof ConfigError)
  for (const name of ['PORT', 'ACCESS_TOKEN_TTL', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'ARGON2_MEMORY_KIB']) {
    t.ok(error.problems.some((problem) => problem.startsWith(name)), `names ${name}`)
  }
  t.notMatch(error.message, 'short', 'a secret value is never echoed')
})

t.test('production refuses the embedded defaults', async (t) => {
  const error = t.throws(() => loadConfig({ NODE_ENV: 'production' })) as ConfigError
  t.same(
    error.problems.map(problem => problem.split(' ')[0]),
    [
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
      'SMTP_URL',
      'MAIL_FROM',
      'DATABASE_URL',
      'REDIS_URL',
      'JWT_SECRET',
      'S3_BUCKET'
    ],
    'all in one round'
  )
  t.doesNotThrow(() =>
    loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/app',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: SIGNING_SECRET,
      TWILIO_ACCOUNT_SID: 'AC123',
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM: '+15005550006',
      S3_BUCKET: 'media',
      SMTP_URL: 'smtps://mailer:secret@smtp.mail.net',
      MAIL_FROM: 'Mobile Auth <no-reply@auth.mail.net>'
    })
  )
})

t.test('files and push settings', async (t) => {
  const config = loadConfig({ S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000', UPLOAD_MAX_BYTES: '2048' })
  t.equal(config.s3.forcePathStyle, true, 'an S3-compatible endpoint defaults to path-style')
  t.equal(config.uploads.maxBytes, 2048)
  t.equal(loadConfig({}).s3.bucket, null, 'no bucket: the embedded store')
  const account = JSON.stringify({
    project_id: 'p',
    client_email: 'push@p.iam.gserviceaccount.com',
    private_key: '-----BEGIN PRIVATE KEY-----\\nsecret\\n-----END PRIVATE KEY-----\\n'
  })
  t.same(loadConfig({ FIREBASE_SERVICE_ACCOUNT: account }).firebase.serviceAccount?.projectId, 'p')
  const error = t.throws(() =>
    loadConfig({ FIREBASE_SERVICE_ACCOUNT: '{"private_key":"very-secret"}', S3_ACCESS_KEY_ID: 'AKIA' })
  ) as ConfigError
  t.same(error.problems.map((problem) => problem.split(' ')[0]), ['FIREBASE_SERVICE_ACCOUNT', 'S3_SECRET_ACCESS_KEY'])
  t.notOk(error.message.includes('very-secret'), 'the message never echoes the key')
})

t.test('SMS test numbers and Twilio settings are checked', async (t) => {
  t.same(
    [...loadConfig({ SMS_TEST_OTP: '+821012345678=123456, +821000000000=000000' }).otp.testCodes],
    [
      ['+821012345678', '123456'],
      ['+821000000000', '000000']
    ]
  )
  const error = t.throws(() => loadConfig({ SMS_TEST_OTP: '01012345678=12', TWILIO_ACCOUNT_SID: 'AC1' })) as ConfigError
  t.same(error.problems.map((problem) => problem.split(' ')[0]), ['SMS_TEST_OTP', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'])
})

t.test('SMS_PROVIDER: each provider needs its own settings only, and production names one', async (t) => {
  const SOLAPI = {
    SMS_PROVIDER: 'solapi',
    SOLAPI_API_KEY: 'NCSAPIKEY0001',
    SOLAPI_API_SECRET: 'solapi-secret-0001',
    SOLAPI_SENDER: '02-1234-5678'
  }
  t.equal(loadConfig({}).sms.provider, 'log', 'nothing set outside production: the log sender')
  t.equal(
    loadConfig({ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+15005550006' }).sms.provider,
    'twilio',
    'unset with TWILIO_* set: Twilio, as before'
  )
  t.same(loadConfig(SOLAPI).sms.solapi, {
    apiKey: 'NCSAPIKEY0001',
    apiSecret: 'solapi-secret-0001',
    sender: '0212345678',
    baseUrl: 'https://api.solapi.com',
    timeoutMs: 5000
  })
  t.same(
    loadConfig({
      ...SOLAPI,
      SOLAPI_SENDER: '01012345678',
      SOLAPI_BASE_URL: 'http://127.0.0.1:9999/',
      SOLAPI_TIMEOUT_MS: '2000'
    }).sms.solapi,
    {
      apiKey: 'NCSAPIKEY0001',
      apiSecret: 'solapi-secret-0001',
      sender: '01012345678',
      baseUrl: 'http://127.0.0.1:9999',
      timeoutMs: 2000
    }
  )
  t.equal(
    loadConfig({ ...SOLAPI, TWILIO_ACCOUNT_SID: 'AC1' }).sms.provider,
    'solapi',
    "a named provider ignores the others' settings"
  )

  t.same(
    refused({ SMS_PROVIDER: 'solapi' }),
    ['SOLAPI_API_KEY', 'SOLAPI_API_SECRET', 'SOLAPI_SENDER'],
    "all of Solapi's gaps in one round"
  )
  t.same(refused({ SMS_PROVIDER: 'twilio' }), ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'])
  t.same(refused({ SMS_PROVIDER: 'kakao' }), ['SMS_PROVIDER'])
  for (const sender of ['+8221234567', '1234', '010-1234-56789', 'O212345678']) {
    t.same(refused({ ...SOLAPI, SOLAPI_SENDER: sender }), ['SOLAPI_SENDER'], `sender ${sender} refused, once`)
  }
  t.same(
    refused({ ...SOLAPI, SMS_ALLOWED_COUNTRIES: 'KR,JP' }),
    ['SMS_ALLOWED_COUNTRIES'],
    'Solapi texts Korean numbers only'
  )
  t.same(refused({ ...SOLAPI, SOLAPI_BASE_URL: 'ftp://x' }), ['SOLAPI_BASE_URL'])

  const live = Object.fromEntries(Object.entries(LIVE).filter(([name]) => !name.startsWith('TWILIO_')))
  t.same(refused({ ...live, SMS_PROVIDER: 'log' }), ['SMS_PROVIDER'], 'production refuses the log sender')
  t.same(
    refused(live),
    ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'],
    'production, unset: Twilio, as earlier versions required'
  )
  t.equal(loadConfig({ ...live, ...SOLAPI }).sms.provider, 'solapi', 'production with Solapi needs no Twilio')
  t.same(
    refused({ ...live, ...SOLAPI, SOLAPI_API_SECRET: 'CHANGE-ME' }),
    ['SOLAPI_API_SECRET'],
    'a placeholder secret is refused in production'
  )
})

t.test('identity: PortOne is both settings or neither, and a mode that reads ids needs it', async (t) => {
  const SECRET = 'portone-secret-value-0001'
  const PORTONE = { PORTONE_API_SECRET: SECRET, PORTONE_STORE_ID: 'store-0001' }
  t.same(
    loadConfig({}).identity,
    { portone: null, settings: { mode: 'off', duplicates: 'flag', maxAgeMs: 60 * 60_000 } },
    'nothing set: off, with the other defaults'
  )
  t.same(loadConfig(PORTONE).identity, {
    portone: { secret: SECRET, storeId: 'store-0001', baseUrl: 'https://api.portone.io', timeoutMs: 5000 },
    settings: { mode: 'optional', duplicates: 'flag', maxAgeMs: 60 * 60_000 }
  }, 'PortOne set: optional by default')
  t.same(loadConfig({
    ...PORTONE,
    PORTONE_API_URL: 'http://127.0.0.1:9999/',
    PORTONE_TIMEOUT_MS: '800',
    IDENTITY_VERIFICATION: 'required',
    IDENTITY_DUPLICATES: 'refuse',
    IDENTITY_VERIFICATION_MAX_AGE_MINUTES: '15'
  }).identity, {
    portone: { secret: SECRET, storeId: 'store-0001', baseUrl: 'http://127.0.0.1:9999', timeoutMs: 800 },
    settings: { mode: 'required', duplicates: 'refuse', maxAgeMs: 15 * 60_000 }
  })
  t.equal(loadConfig({ ...PORTONE, IDENTITY_VERIFICATION: 'off' }).identity.settings.mode, 'off', 'off, PortOne set')

  const half = t.throws(() => loadConfig({ PORTONE_API_SECRET: 'half-set-secret-value' })) as ConfigError
  t.same(half.problems, ['PORTONE_STORE_ID is required with PORTONE_API_SECRET: set both or neither'])
  t.notOk(half.message.includes('half-set-secret-value'), 'the secret is never echoed')
  t.same(refused({ PORTONE_STORE_ID: 'store-0001' }), ['PORTONE_API_SECRET'])
  t.same(
    refused({ PORTONE_STORE_ID: 'store-0001', IDENTITY_VERIFICATION: 'required' }),
    ['PORTONE_API_SECRET'],
    'a half-set pair is named once, not again as a mode without PortOne'
  )
  for (const mode of ['optional', 'required']) {
    t.same(refused({ IDENTITY_VERIFICATION: mode }), ['IDENTITY_VERIFICATION'], `${mode} without PortOne`)
  }

  const bad = {
    PORTONE_API_URL: 'ftp://api.portone.io',
    PORTONE_TIMEOUT_MS: '0',
    IDENTITY_VERIFICATION: 'sometimes',
    IDENTITY_DUPLICATES: 'ignore',
    IDENTITY_VERIFICATION_MAX_AGE_MINUTES: '-5'
  }
  t.same(refused({ ...PORTONE, ...bad }), Object.keys(bad), 'every bad value named in one round')
  t.same(refused({ ...PORTONE, PORTONE_API_URL: 'not a url' }), ['PORTONE_API_URL'])
  t.same(
    refused({ ...PORTONE, PORTONE_API_URL: 'https://proxy.internal/portone' }),
    ['PORTONE_API_URL'],
    'a path is refused: the SDK would drop it and call the root'
  )
  for (const value of ['1.5', 'soon', '0']) {
    const age = { IDENTITY_VERIFICATION_MAX_AGE_MINUTES: value }
    t.same(refused({ ...PORTONE, ...age }), ['IDENTITY_VERIFICATION_MAX_AGE_MINUTES'], `max age ${value}`)
  }

  t.equal(loadConfig(LIVE).identity.portone, null, 'production does not require PortOne')
  t.equal(loadConfig({ ...LIVE, ...PORTONE }).identity.settings.mode, 'optional')
  t.same(
    refused({ ...LIVE, ...PORTONE, PORTONE_API_SECRET: 'change-me' }),
    ['PORTONE_API_SECRET'],
    'a placeholder secret is refused in production'
  )
})

t.test('mail: SMTP_URL selects SMTP with MAIL_FROM; without it the log sender, refused in production', async (t) => {
  t.same(loadConfig({}).mail, { smtpUrl: null, from: null, timeoutMs: 10000 }, 'nothing set: the log sender')
  t.same(
    loadConfig({
      SMTP_URL: 'smtp://mailer:p%40ss@smtp.mail.net:587',
      MAIL_FROM: 'no-reply@auth.mail.net',
      SMTP_TIMEOUT_MS: '3000'
    }).mail,
    { smtpUrl: 'smtp://mailer:p%40ss@smtp.mail.net:587', from: 'no-reply@auth.mail.net', timeoutMs: 3000 }
  )
  for (const from of [
    'Mobile Auth <no-reply@auth.mail.net>',
    '"Auth, Inc." <no-reply@auth.mail.net>',
    '회원 인증 <no-reply@auth.mail.net>'
  ]) {
    t.equal(loadConfig({ SMTP_URL: 'smtps://smtp.mail.net', MAIL_FROM: from }).mail.from, from, `MAIL_FROM=${from}`)
  }

  const names = (env: Record<string, string>) =>
    (t.throws(() => loadConfig(env)) as ConfigError).problems.map(problem => problem.split(' ')[0])
  t.same(names({ SMTP_URL: 'smtps://smtp.mail.net' }), ['MAIL_FROM'], 'MAIL_FROM is required with SMTP_URL')
  t.same(
    names({ SMTP_URL: 'http://smtp.mail.net', MAIL_FROM: 'no-reply@auth.mail.net' }),
    ['SMTP_URL'],
    'smtp: or smtps: only'
  )
  t.same(names({ SMTP_URL: 'smtp://', MAIL_FROM: 'no-reply@auth.mail.net' }), ['SMTP_URL'], 'a server must be named')
  for (const from of ['no-reply', 'Auth <no-reply>', 'a@b.c\nBcc: everyone@mail.net', 'x <a@b.c> <d@e.f>']) {
    t.same(
      names({ SMTP_URL: 'smtps://smtp.mail.net', MAIL_FROM: from }),
      ['MAIL_FROM'],
      `refused: ${JSON.stringify(from)}`
    )
  }
  t.same(
    names({
      SMTP_TIMEOUT_MS: '10',
      SMTP_URL: 'smtps://u:very-secret@smtp.mail.net',
      MAIL_FROM: 'no-reply@auth.mail.net'
    }),
    ['SMTP_TIMEOUT_MS']
  )

  const live = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://db/app',
    REDIS_URL: 'redis://cache:6379',
    JWT_SECRET: SIGNING_SECRET,
    TWILIO_ACCOUNT_SID: 'AC123',
    TWILIO_AUTH_TOKEN: 'token',
    TWILIO_FROM: '+15005550006',
    S3_BUCKET: 'media'
  }
  t.same(names(live), ['SMTP_URL', 'MAIL_FROM'], 'production refuses the log-only mail sender, naming both at once')
  t.same(names({ ...live, SMTP_URL: 'smtps://smtp.mail.net' }), ['MAIL_FROM'])
  const malformed = t.throws(() =>
    loadConfig({ ...live, SMTP_URL: 'mailto:u:very-secret@x', MAIL_FROM: 'no-reply@auth.mail.net' })
  ) as ConfigError
  t.same(
    malformed.problems.map(problem => problem.split(' ')[0]),
    ['SMTP_URL'],
    'a malformed URL is reported once, not also as missing'
  )
  t.notMatch(malformed.message, 'very-secret', 'the URL, which holds the password, is never echoed')
})

t.test('production: a half-configured Twilio reports everything still missing at once', async (t) => {
  const error = t.throws(() =>
    loadConfig({
      NODE_ENV: 'production',
      TWILIO_ACCOUNT_SID: 'AC123',
      DATABASE_URL: 'postgres://db/app',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: SIGNING_SECRET,
      S3_BUCKET: 'media',
      SMTP_URL: 'smtps://mailer:secret@smtp.mail.net',
      MAIL_FROM: 'Mobile Auth <no-reply@auth.mail.net>'
    })
  ) as ConfigError
  t.same(error.problems.map((problem) => problem.split(' ')[0]), ['TWILIO_AUTH_TOKEN', 'TWILIO_FROM'])
})

t.test('production refuses placeholder secrets without echoing them', async (t) => {
  const live = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://db/app',
    REDIS_URL: 'redis://cache:6379',
    JWT_SECRET: SIGNING_SECRET,
    TWILIO_ACCOUNT_SID: 'AC123',
    TWILIO_AUTH_TOKEN: 'token',
    TWILIO_FROM: '+15005550006',
    S3_BUCKET: 'media',
    SMTP_URL: 'smtps://mailer:secret@smtp.mail.net',
    MAIL_FROM: 'Mobile Auth <no-reply@auth.mail.net>'
  }
  for (const [name, value] of [
    ['JWT_SECRET', 'CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME'],
    ['JWT_SECRET', 'changeme'.repeat(5)],
    ['DATABASE_URL', 'postgres://u:p@db.example.com/app'],
    ['S3_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['ADMIN_API_KEY', 'ChangeMe-ChangeMe-ChangeMe-1'],
    ['SMTP_URL', 'smtps://mailer:CHANGE-ME@smtp.example.invalid']
  ]) {
    const env = {
      ...live,
      [name!]: value,
      ...(name === 'S3_ACCESS_KEY_ID' ? { S3_SECRET_ACCESS_KEY: 'real-looking-secret' } : {})
    }
    const error = t.throws(() => loadConfig(env), `${name}=${value} is refused`) as ConfigError
    t.same(
      error.problems.map(problem => problem.split(' ')[0]),
      [name]
    )
    t.notMatch(error.message, value!)
  }
  t.doesNotThrow(
    () => loadConfig({ ...live, NODE_ENV: 'development', JWT_SECRET: 'CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME' }),
    'development takes anything'
  )
})

t.test("a variable one or two edits from ours is reported as a near miss; the environment's own are not", async t => {
  const config = loadConfig({
    JWT_SECRETS: 'x',
    DATABSE_URL: 'postgres://db/app',
    redis_url: 'redis://x',
    LOG_LEVLE: 'debug',
    HOME: '/root',
    PATH: '/bin',
    PWD: '/',
    USER: 'root',
    HOSTNAME: 'vm',
    TERM: 'xterm',
    NODE_PATH: '/x',
    PGPORT: '5432',
    TEST_DATABASE_URL: 'postgres://x/y'
  })
  t.same(config.nearMisses, [
    { variable: 'JWT_SECRETS', known: 'JWT_SECRET' },
    { variable: 'DATABSE_URL', known: 'DATABASE_URL' },
    { variable: 'redis_url', known: 'REDIS_URL' },
    { variable: 'LOG_LEVLE', known: 'LOG_LEVEL' }
  ])
  t.same(
    loadConfig({ PORT: '3001', JWT_SECRET: 'y'.repeat(40) }).nearMisses,
    [],
    'our own variables are not near misses'
  )
})

t.test('METRICS_PORT: metrics on a port of their own', async (t) => {
  t.same(loadConfig({}).metrics, { port: null, enabled: false })
  t.same(loadConfig({ METRICS_PORT: '9464' }).metrics, { port: 9464, enabled: true })
  t.same(loadConfig({ METRICS_ENABLED: 'true' }).metrics, { port: null, enabled: true })
  const error = t.throws(() => loadConfig({ PORT: '9464', METRICS_PORT: '9464' })) as ConfigError
  t.same(error.problems.map((problem) => problem.split(' ')[0]), ['METRICS_PORT'])
})

t.test('abuse limits: defaults, the allow-list of addresses and CIDRs, retired variables named', async (t) => {
  const { rateLimits } = loadConfig({})
  t.same(rateLimits.guesses, { perAddress: 5, lockSeconds: 900, perTarget: 20, maxDelaySeconds: 300 })
  t.same(rateLimits.sms, { perAddressDaily: 5, perNumberDaily: 10, hourly: 1000 })
  t.same(loadConfig({ RATE_LIMIT_ALLOWLIST: '127.0.0.1, 10.0.0.0/8,2001:db8::/32' }).rateLimits.allowList, [
    '127.0.0.1',
    '10.0.0.0/8',
    '2001:db8::/32'
  ])
  const error = t.throws(() => loadConfig({ RATE_LIMIT_ALLOWLIST: '10.0.0.0/33' })) as ConfigError
  t.same(error.problems.map((problem) => problem.split(' ')[0]), ['RATE_LIMIT_ALLOWLIST'])
  t.same(loadConfig({ RATE_LIMIT_PER_TARGET: '10', OTP_TRY_WINDOW: '15m' }).retired, [
    'RATE_LIMIT_PER_TARGET',
    'OTP_TRY_WINDOW'
  ])
  t.same(loadConfig({}).retired, [])
})

t.test('retention: the audit trail two years by default, verification files kept unless a period is set', async (t) => {
  t.same(loadConfig({}).retention, { auditDays: 730, verificationFilesDays: null })
  t.same(loadConfig({ AUDIT_RETENTION_DAYS: '365', VERIFICATION_FILES_RETENTION_DAYS: '90' }).retention, {
    auditDays: 365,
    verificationFilesDays: 90
  })
  const error = t.throws(() =>
    loadConfig({ AUDIT_RETENTION_DAYS: '0', VERIFICATION_FILES_RETENTION_DAYS: '30d' })
  ) as ConfigError
  t.same(
    error.problems.map(problem => problem.split(' ')[0]),
    ['AUDIT_RETENTION_DAYS', 'VERIFICATION_FILES_RETENTION_DAYS'],
    'whole days, at least one'
  )
  const fractional = t.throws(() =>
    loadConfig({ AUDIT_RETENTION_DAYS: '1.5', VERIFICATION_FILES_RETENTION_DAYS: '0' })
  ) as ConfigError
  t.same(
    fractional.problems.map(problem => problem.split(' ')[0]),
    ['AUDIT_RETENTION_DAYS', 'VERIFICATION_FILES_RETENTION_DAYS']
  )
})

t.test('production refuses a guessable signing key, named once and never echoed', async (t) => {
  const weak = [
    'a'.repeat(32),
    'password'.repeat(5),
    'qwertyuiopasdfghjklzxcvbnm123456',
    'abcdefghijklmnopqrstuvwxyz012345',
    'Xk9!'.repeat(10),
    'P@ssw0rd!'.repeat(4),
    '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,',
    '0123456789abcdef0123456789abcdef',
    'deadbeef'.repeat(4),
    'Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3',
    randomBytes(8).toString('base64url').repeat(4),
    randomBytes(8).toString('hex').repeat(4)
  ]
  for (const value of weak) {
    for (const name of ['JWT_SECRET', 'ADMIN_API_KEY']) {
      const error = t.throws(() => loadConfig({ ...LIVE, [name]: value }), `${name}=${value} is refused`) as ConfigError
      t.same(error.problems.map((problem) => problem.split(' ')[0]), [name], 'one problem, naming the variable')
      t.match(error.problems[0], /is guessable: it must carry 128 bits/)
      t.notMatch(error.message, value, 'the value is never echoed')
    }
  }
  t.same(refused({ ...LIVE, ADMIN_API_KEY: 'short-key' }), ['ADMIN_API_KEY'], 'too short and guessable: named once')
  t.same(
    refused({ ...LIVE, JWT_SECRET: 'CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME' }),
    ['JWT_SECRET'],
    'a placeholder: named once'
  )
  t.doesNotThrow(
    () =>
      loadConfig({ ...LIVE, NODE_ENV: 'development', JWT_SECRET: 'a'.repeat(32), ADMIN_API_KEY: 'password'.repeat(3) }),
    'outside production a weak key is taken'
  )
  t.doesNotThrow(() =>
    loadConfig({ ...LIVE, NODE_ENV: 'test', JWT_SECRET: 'a'.repeat(32), ADMIN_API_KEY: 'password'.repeat(3) })
  )
})

t.test('production takes random keys: 32 bytes in base64, base64url and hex, 16 bytes in hex', async (t) => {
  const taken = { base64: 0, base64url: 0, hex: 0, hex16: 0 }
  const failures: string[] = []
  for (let i = 0; i < 200; i++) {
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      const env = {
        ...LIVE,
        JWT_SECRET: randomBytes(32).toString(encoding),
        ADMIN_API_KEY: randomBytes(32).toString(encoding)
      }
      if (refused(env).length === 0) taken[encoding]++
      else failures.push(`${env.JWT_SECRET} ${env.ADMIN_API_KEY}`)
    }
  }
  // 16 bytes in hex are 128 bits exactly, the bar itself: about one random value in a million
  // holds patterns enough to be refused (see secret-strength.ts), so these are fixed ones.
  for (const key of [
    '5ed57c668fcd9d6fc0c2fa44eaa9e111',
    '9bd15091dd9df260e4a1df218244c53f',
    '25604e058d5a4f7c67ad9060aead46f4',
    'e84c542598f11a11968a947633efa4ca',
    '352b708374fef394ed1c6cba5ac9d141',
    '8996E3D716FFF22F37E8CFE8588BD58C'
  ]) {
    if (refused({ ...LIVE, JWT_SECRET: key, ADMIN_API_KEY: key }).length === 0) taken.hex16++
    else failures.push(key)
  }
  t.same(failures, [], 'no random key refused')
  t.same(taken, { base64: 200, base64url: 200, hex: 200, hex16: 6 })
  t.same(
    refused({ ...LIVE, JWT_SECRET: randomBytes(15).toString('hex') }),
    ['JWT_SECRET'],
    '15 random bytes in hex: 120 bits, whatever they look like'
  )
  t.same(
    refused({ ...LIVE, ADMIN_API_KEY: randomBytes(12).toString('base64url') + 'Password' }),
    ['ADMIN_API_KEY'],
    '96 random bits and a word are not enough'
  )
})

t.test('production refuses example hosts in the mail sender and in public URLs, naming the variable', async (t) => {
  const cases: Array<[string, string]> = [
    ['MAIL_FROM', 'Mobile Auth <no-reply@example.com>'],
    ['MAIL_FROM', 'no-reply@mail.example.org'],
    ['MAIL_FROM', 'no-reply@EXAMPLE.NET'],
    ['MAIL_FROM', '"Auth" <no-reply@auth.test>'],
    ['MAIL_FROM', 'no-reply@smtp.invalid'],
    ['MAIL_FROM', 'no-reply@mobile.example'],
    ['MEDIA_BASE_URL', 'https://media.example.com/'],
    ['MEDIA_BASE_URL', 'https://cdn.example.net/media/'],
    ['MEDIA_BASE_URL', '//media.example.org/'],
    ['MEDIA_BASE_URL', 'http://localhost:9000/media/'],
    ['MEDIA_BASE_URL', 'https://media.test/'],
    ['PUBLIC_URL', 'https://auth.example.org'],
    ['PUBLIC_URL', 'http://127.0.0.1:3000'],
    ['PUBLIC_URL', 'https://auth.invalid.'],
    ['PUBLIC_URL', 'http://[::1]:3000/']
  ]
  for (const [name, value] of cases) {
    const error = t.throws(() => loadConfig({ ...LIVE, [name]: value }), `${name}=${value} is refused`) as ConfigError
    t.same(error.problems.map((problem) => problem.split(' ')[0]), [name])
    t.match(error.problems[0], /an example host/)
  }
  t.same(
    refused({
      ...LIVE,
      MAIL_FROM: 'no-reply@example.com',
      MEDIA_BASE_URL: 'https://media.example.com/',
      PUBLIC_URL: 'https://auth.example.com'
    }),
    ['MAIL_FROM', 'MEDIA_BASE_URL', 'PUBLIC_URL'],
    'all in one round'
  )
  for (const [name, value] of [
    ['MAIL_FROM', 'no-reply@example-mail.com'],
    ['MAIL_FROM', 'no-reply@examples.org'],
    ['MEDIA_BASE_URL', '/media/'],
    ['MEDIA_BASE_URL', 'https://cdn.myexample.com/media/'],
    ['MEDIA_BASE_URL', 'https://example.com.mobile-auth.kr/'],
    ['PUBLIC_URL', 'https://auth.testing.kr']
  ]) {
    t.same(refused({ ...LIVE, [name!]: value! }), [], `${name}=${value} is taken`)
  }
  t.doesNotThrow(
    () =>
      loadConfig({
        SMTP_URL: 'smtp://localhost:1025',
        MAIL_FROM: 'Mobile Auth <no-reply@example.com>',
        MEDIA_BASE_URL: 'https://media.example.com/',
        PUBLIC_URL: 'http://localhost:3000'
      }),
    'outside production example hosts are taken'
  )
  t.doesNotThrow(() => loadConfig({}), 'development needs no configuration')
})

/** A .p8 key as Apple issues them: a P-256 private key in PKCS#8 PEM. */
const APPLE_P8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  .export({ type: 'pkcs8', format: 'pem' }).toString()
/** As an operator pastes it into one line of a .env file: `\n` escapes for the line breaks. */
const APPLE_P8_ONE_LINE = APPLE_P8.trim().replace(/\n/g, '\\n')
const APPLE_CREDENTIALS = { APPLE_TEAM_ID: 'ABCDE12345', APPLE_KEY_ID: 'XYZ9876543', APPLE_PRIVATE_KEY: APPLE_P8 }
/** The key's middle line: what must never be in a message. */
const P8_BODY = APPLE_P8.split('\n')[2]!

t.test('sign-in: every provider, Apple\'s credentials and passkeys off when nothing is set', async (t) => {
  t.same(loadConfig({}).signIn, {
    providers: { kakao: null, apple: null, google: null },
    timeoutMs: 5000,
    apple: null,
    webAuthn: null,
    appAssociation: { appleAppIds: [], androidApps: [] }
  })
})

t.test('sign-in: a provider is on with its client ids, keys from its default URL or the one set', async (t) => {
  const { signIn } = loadConfig({
    KAKAO_CLIENT_IDS: '3f6e0b4a9d2c8e1f',
    GOOGLE_CLIENT_IDS: ' 1-ios.apps.googleusercontent.com , 1-web.apps.googleusercontent.com,,',
    GOOGLE_KEYS_URL: 'http://127.0.0.1:4010/google/keys',
    APPLE_KEYS_URL: 'https://keys.mirror.net/apple',
    SIGN_IN_PROVIDER_TIMEOUT_MS: '1500'
  })
  t.same(signIn.providers, {
    kakao: { clientIds: ['3f6e0b4a9d2c8e1f'], keysUrl: 'https://kauth.kakao.com/.well-known/jwks.json' },
    apple: null,
    google: {
      clientIds: ['1-ios.apps.googleusercontent.com', '1-web.apps.googleusercontent.com'],
      keysUrl: 'http://127.0.0.1:4010/google/keys'
    }
  })
  t.equal(signIn.timeoutMs, 1500)
  const apple = loadConfig({ APPLE_CLIENT_IDS: 'net.mobileauth.app,net.mobileauth.web', ...APPLE_CREDENTIALS }).signIn
  t.same(apple.providers.apple, {
    clientIds: ['net.mobileauth.app', 'net.mobileauth.web'],
    keysUrl: 'https://appleid.apple.com/auth/keys'
  })

  t.same(refused({ KAKAO_KEYS_URL: 'http://keys.mirror.net/kakao' }), ['KAKAO_KEYS_URL'], 'http off the machine')
  t.same(refused({ GOOGLE_KEYS_URL: 'keys' }), ['GOOGLE_KEYS_URL'])
  t.same(refused({ GOOGLE_CLIENT_IDS: ' , ' }), ['GOOGLE_CLIENT_IDS'])
  t.same(refused({ KAKAO_CLIENT_IDS: 'one id with spaces' }), ['KAKAO_CLIENT_IDS'])
  t.same(refused({ SIGN_IN_PROVIDER_TIMEOUT_MS: '0' }), ['SIGN_IN_PROVIDER_TIMEOUT_MS'])
})

t.test("sign-in: Apple's team id, key id and .p8 key go together, and with APPLE_CLIENT_IDS", async (t) => {
  const full = loadConfig({ APPLE_CLIENT_IDS: 'net.mobileauth.app', ...APPLE_CREDENTIALS }).signIn.apple
  t.same(full, {
    teamId: 'ABCDE12345',
    keyId: 'XYZ9876543',
    privateKey: APPLE_P8.trim(),
    authUrl: 'https://appleid.apple.com'
  })
  const escaped = loadConfig({
    APPLE_CLIENT_IDS: 'net.mobileauth.app',
    ...APPLE_CREDENTIALS,
    APPLE_PRIVATE_KEY: APPLE_P8_ONE_LINE,
    APPLE_AUTH_URL: 'http://127.0.0.1:4020'
  }).signIn.apple
  t.equal(escaped?.privateKey, APPLE_P8.trim(), '\\n escapes become line breaks')
  t.equal(escaped?.authUrl, 'http://127.0.0.1:4020')
  t.same(
    loadConfig(APPLE_CREDENTIALS).signIn.apple?.teamId,
    'ABCDE12345',
    'credentials without client ids: Apple sign-in off, its tokens still revocable'
  )

  const without = t.throws(() => loadConfig({ APPLE_CLIENT_IDS: 'net.mobileauth.app' })) as ConfigError
  t.same(without.problems.length, 1, 'one message')
  t.match(
    without.problems[0],
    /^APPLE_TEAM_ID and APPLE_KEY_ID and APPLE_PRIVATE_KEY are required with APPLE_CLIENT_IDS:/
  )

  const half = t.throws(() => loadConfig({
    APPLE_TEAM_ID: 'ABCDE12345',
    APPLE_PRIVATE_KEY: APPLE_P8_ONE_LINE
  })) as ConfigError
  t.same(half.problems.length, 1)
  t.match(half.problems[0], /^APPLE_KEY_ID is required with APPLE_TEAM_ID, APPLE_PRIVATE_KEY:/)
  t.notMatch(half.message, P8_BODY, 'the key is never echoed')
  t.notMatch(half.message, 'ABCDE12345')

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' })
  const rsaEnv = { ...APPLE_CREDENTIALS, APPLE_PRIVATE_KEY: rsa.toString() }
  const wrongKey = t.throws(() => loadConfig(rsaEnv)) as ConfigError
  t.same(wrongKey.problems.map(problem => problem.split(' ')[0]), ['APPLE_PRIVATE_KEY'], 'an RSA key is not a .p8')
  t.notMatch(wrongKey.message, rsa.toString().split('\n')[2]!)
  t.same(refused({ ...APPLE_CREDENTIALS, APPLE_PRIVATE_KEY: 'not a key' }), ['APPLE_PRIVATE_KEY'])
  t.same(refused({ ...APPLE_CREDENTIALS, APPLE_TEAM_ID: 'abcde12345', APPLE_KEY_ID: 'XYZ' }), [
    'APPLE_TEAM_ID',
    'APPLE_KEY_ID'
  ])
  t.same(refused({ ...APPLE_CREDENTIALS, APPLE_AUTH_URL: 'https://appleid.apple.com/auth' }), ['APPLE_AUTH_URL'])
  t.same(refused({ ...APPLE_CREDENTIALS, APPLE_AUTH_URL: 'http://appleid.apple.com' }), ['APPLE_AUTH_URL'])
})

t.test('production: a placeholder Apple key is named once, never echoed', async (t) => {
  const placeholder = 'CHANGE-ME-apple-p8-key'
  const env = { ...LIVE, ...APPLE_CREDENTIALS, APPLE_PRIVATE_KEY: placeholder }
  const error = t.throws(() => loadConfig(env)) as ConfigError
  t.same(error.problems.map(problem => problem.split(' ')[0]), ['APPLE_PRIVATE_KEY'])
  t.notMatch(error.message, placeholder)
  t.same(refused({ ...LIVE, APPLE_CLIENT_IDS: 'net.mobileauth.app', ...APPLE_CREDENTIALS }), [], 'a real key is taken')
})

t.test('sign-in: passkeys need an RP id and origins on it (https, or Android apps by their key hash)', async (t) => {
  const androidOrigin = `android:apk-key-hash:${randomBytes(32).toString('base64url')}`
  const { webAuthn } = loadConfig({
    WEBAUTHN_RP_ID: 'Auth.MobileAuth.kr',
    WEBAUTHN_ORIGINS: `https://auth.mobileauth.kr, https://login.auth.mobileauth.kr:8443,${androidOrigin}`
  }).signIn
  t.same(webAuthn, {
    rpId: 'auth.mobileauth.kr',
    rpName: 'mobile-auth',
    origins: ['https://auth.mobileauth.kr', 'https://login.auth.mobileauth.kr:8443', androidOrigin]
  })
  t.equal(loadConfig({
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_RP_NAME: 'Mobile Auth (dev)',
    WEBAUTHN_ORIGINS: 'http://localhost:8080'
  }).signIn.webAuthn?.rpName, 'Mobile Auth (dev)', 'http on localhost, as browsers allow there')

  const rp = { WEBAUTHN_RP_ID: 'auth.mobileauth.kr' }
  t.same(refused(rp), ['WEBAUTHN_ORIGINS'], 'origins are required with the RP id')
  t.same(refused({ WEBAUTHN_ORIGINS: 'https://auth.mobileauth.kr' }), ['WEBAUTHN_RP_ID'])
  for (const origin of [
    'https://mobileauth.kr',
    'https://evil-auth.mobileauth.kr.attacker.net',
    'https://notauth.mobileauth.kr',
    'http://auth.mobileauth.kr',
    'https://auth.mobileauth.kr/login',
    'auth.mobileauth.kr',
    'android:apk-key-hash:short'
  ]) {
    t.same(refused({ ...rp, WEBAUTHN_ORIGINS: origin }), ['WEBAUTHN_ORIGINS'], `${origin} is refused`)
  }
  for (const rpId of ['https://auth.mobileauth.kr', 'auth.mobileauth.kr:443', '10.0.0.1', 'auth_mobile.kr']) {
    t.same(refused({ WEBAUTHN_RP_ID: rpId, WEBAUTHN_ORIGINS: 'https://auth.mobileauth.kr' }), ['WEBAUTHN_RP_ID'])
  }
})

/**
 * ANDROID_APPS: `package.name=FINGERPRINT|FINGERPRINT;other.package=FINGERPRINT`, each fingerprint
 * the signing certificate's SHA-256 as keytool prints it (32 hex pairs joined by colons); apps are
 * separated by `;` (or `,`), a package's fingerprints (release and upload key, say) by `|`.
 */
t.test('sign-in: the apps the association files name (Apple app ids, Android packages and fingerprints)', async (t) => {
  const release = Array.from(randomBytes(32), byte => byte.toString(16).padStart(2, '0').toUpperCase()).join(':')
  const upload = Array.from(randomBytes(32), byte => byte.toString(16).padStart(2, '0')).join(':')
  const { appAssociation } = loadConfig({
    APPLE_APP_IDS: 'ABCDE12345.net.mobileauth.app, ABCDE12345.net.mobileauth.app-dev',
    ANDROID_APPS: `net.mobileauth.app=${release}|${upload}; net.mobileauth.dev=${release}`
  }).signIn
  t.same(appAssociation, {
    appleAppIds: ['ABCDE12345.net.mobileauth.app', 'ABCDE12345.net.mobileauth.app-dev'],
    androidApps: [
      { packageName: 'net.mobileauth.app', fingerprints: [release, upload.toUpperCase()] },
      { packageName: 'net.mobileauth.dev', fingerprints: [release] }
    ]
  })
  t.same(refused({ APPLE_APP_IDS: 'net.mobileauth.app' }), ['APPLE_APP_IDS'], 'the team id is part of it')
  for (const apps of [
    'net.mobileauth.app',
    `net.mobileauth.app=${release.slice(3)}`,
    `mobileauth=${release}`,
    `net.mobileauth.app=${release};net.mobileauth.app=${release}`,
    `net.mobileauth.app=SHA256:${release}`
  ]) {
    t.same(refused({ ANDROID_APPS: apps }), ['ANDROID_APPS'], `${apps} is refused`)
  }
})

/**
 * REDIS_CLUSTER_NODES: seeds of a Redis Cluster. Credentials and TLS come from REDIS_URL (its user,
 * password and rediss:, never its host), so no second secret variable; without REDIS_URL the
 * first seed stands in for it, and production's "Redis is configured" holds for a cluster too.
 */
t.test('redis: REDIS_CLUSTER_NODES names a cluster, with REDIS_URL for credentials only', async (t) => {
  const { redis } = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:6379, 10.0.0.2:6380,[fd00::3]:6381' })
  t.same(redis.cluster, {
    nodes: [{ host: '10.0.0.1', port: 6379 }, { host: '10.0.0.2', port: 6380 }, { host: 'fd00::3', port: 6381 }]
  })
  t.equal(redis.url, 'redis://10.0.0.1:6379', 'the first seed stands in for an unset REDIS_URL')
  t.equal(redis.sentinels, null)
  t.equal(loadConfig({}).redis.cluster, null, 'no cluster unless named')

  const secured = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:6379', REDIS_URL: 'rediss://app:secret@ignored:6379' })
  t.equal(secured.redis.url, 'rediss://app:secret@ignored:6379', 'REDIS_URL kept for its credentials and TLS')

  t.same(refused({ ...LIVE, REDIS_URL: '', REDIS_CLUSTER_NODES: '10.0.0.1:6379' }), [],
    'production takes a cluster without REDIS_URL')
  t.same(refused({ REDIS_CLUSTER_NODES: '10.0.0.1:6379', REDIS_SENTINELS: '10.0.0.1:26379' }), ['REDIS_CLUSTER_NODES'],
    'a cluster and sentinels are two deployments: refused together')
  for (const nodes of ['nohost', '10.0.0.1:70000', 'a:1,b', ',']) {
    t.same(refused({ REDIS_CLUSTER_NODES: nodes }), ['REDIS_CLUSTER_NODES'], `${nodes} is refused`)
  }
  t.same(refused({ REDIS_CLUSTER_NODES: '10.0.0.1:6379', REDIS_URL: 'redis://cache:6379/2' }), ['REDIS_URL'],
    'a cluster has database 0 only')
  t.same(refused({ REDIS_CLUSTER_NODES: '10.0.0.1:6379', REDIS_URL: 'redis://cache:6379/0' }), [])
})

/**
 * DATABASE_PREPARED_STATEMENTS=false for PgBouncer before 1.21 in transaction mode; the slow pool's
 * size, and the replica it reads from (none: a second small pool on DATABASE_URL).
 */
t.test('database: prepared statements, the slow pool and its replica', async (t) => {
  const { database } = loadConfig({ DATABASE_URL: 'postgres://db/app' })
  t.equal(database.preparedStatements, true, 'named statements unless told otherwise')
  t.equal(database.slowPoolSize, 2)
  t.equal(database.replicaUrl, null, 'no replica: the slow pool is on DATABASE_URL')

  const behindPgbouncer = loadConfig({
    DATABASE_URL: 'postgres://pgbouncer:6432/app',
    DATABASE_PREPARED_STATEMENTS: 'false',
    DATABASE_SLOW_POOL_SIZE: '3',
    DATABASE_REPLICA_URL: 'postgresql://replica/app'
  }).database
  t.equal(behindPgbouncer.preparedStatements, false)
  t.equal(behindPgbouncer.slowPoolSize, 3)
  t.equal(behindPgbouncer.replicaUrl, 'postgresql://replica/app')

  t.same(refused({ DATABASE_URL: 'postgres://db/app', DATABASE_PREPARED_STATEMENTS: 'off' }), [
    'DATABASE_PREPARED_STATEMENTS'
  ])
  for (const size of ['0', '101', 'two']) {
    t.same(refused({ DATABASE_URL: 'postgres://db/app', DATABASE_SLOW_POOL_SIZE: size }), ['DATABASE_SLOW_POOL_SIZE'])
  }
  t.same(refused({ DATABASE_URL: 'postgres://db/app', DATABASE_REPLICA_URL: 'mysql://replica/app' }), [
    'DATABASE_REPLICA_URL'
  ])
  t.same(refused({ DATABASE_REPLICA_URL: 'postgres://replica/app' }), ['DATABASE_REPLICA_URL'],
    'a replica of the embedded database: refused')
})
