import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { CoreSettings } from '../application/make-use-cases.js'
import { STAFF_SESSION_SETTINGS } from '../application/staff/staff-session-settings.js'
import type { Ports } from '../application/ports/ports.js'
import type { FileStore } from '../application/ports/outbound/file-store.js'
import type { PhoneNumber } from '../domain/user.js'
import type { Config } from './config/load-config.js'
import { createArgon2PasswordHasher } from './argon2/argon2-password-hasher.js'
import type { DatabaseHandle } from './drizzle/database.js'
import type { QueryLoad } from './drizzle/translate-database-error.js'
import type { ServiceMetrics } from './http/service-metrics.js'
import { StoreUnreachableError, describePostgresUrl, hintFor, reasonOf } from './startup-failure.js'
import type { ReadinessChecks } from './http/routes/health-routes.js'
import { createJwtTokenCodec } from './jwt/jwt-token-codec.js'
import { jwtKeySet } from './config/jwt-keys-config.js'
import { createDiskBlobStore } from './local-storage/disk-blob-store.js'
import { takeDataDirLock } from './local-storage/data-dir-lock.js'
import type { LocalFileStore } from './http/embedded-file-store.js'
import { createLocalFileStore } from './local-storage/local-file-store.js'
import { createLogPushSender } from './system/log-push-sender.js'
import { createMemoryHitCounter } from './memory/memory-hit-counter.js'
import { createMemoryKnownClients } from './memory/memory-known-clients.js'
import { createMemoryOtpStore } from './memory/memory-otp-store.js'
import { createMemoryCeremonyChallenges } from './memory/memory-ceremony-challenges.js'
import { createMemoryRevocationStore } from './memory/memory-revocation-store.js'
import { createMemoryMemberPresence } from './memory/memory-member-presence.js'
import { createMemoryStaffSessionStore } from './memory/memory-staff-session-store.js'
import { createMemorySessionRegistry } from './memory/memory-session-registry.js'
import { connectRedis, observeRedis } from './redis/redis-client.js'
import { checkRedisConfig } from './redis/redis-config-check.js'
import { createRedisHitCounter } from './redis/redis-hit-counter.js'
import { createRedisKnownClients } from './redis/redis-known-clients.js'
import { createRedisOtpStore } from './redis/redis-otp-store.js'
import { createRedisCeremonyChallenges } from './redis/redis-ceremony-challenges.js'
import { withRedisAccountCache } from './redis/redis-account-cache.js'
import { createRedisCatalogVersion } from './redis/redis-catalog-version.js'
import { CATALOG_CACHE_TIMES, localCatalogVersion, withCatalogCache } from './memory/cached-catalog-repository.js'
import { createRedisRevocationStore } from './redis/redis-revocation-store.js'
import { createRedisMemberPresence } from './redis/redis-member-presence.js'
import { createRedisStaffSessionStore } from './redis/redis-staff-session-store.js'
import { createRedisSessionRegistry } from './redis/redis-session-registry.js'
import { cryptoRandom } from './system/crypto-random.js'
import { createHmacCodeHasher } from './system/hmac-code-hasher.js'
import { createLibphonenumberParser } from './system/libphonenumber-phone-parser.js'
import { loadOrCreateSecret } from './system/local-secret.js'
import { createLogMailSender } from './system/log-mail-sender.js'
import { createLogSmsSender } from './system/log-sms-sender.js'
import { createOtpauthTotpAuthenticator } from './system/otpauth-totp-authenticator.js'
import { randomIds } from './system/random-ids.js'
import { systemClock } from './system/system-clock.js'

/**
 * An adapter set: the core's ports, plus what the HTTP adapter and the composition root need of
 * them. Production builds one from configuration (createAdapters); tests build one in memory. Either
 * goes through the same buildService.
 */
export interface Adapters {
  ports: Ports
  /** The embedded file store, whose upload and media routes the app serves; null with S3. */
  localFiles: LocalFileStore | null
  readiness: ReadinessChecks
  close (): Promise<void>
}

export interface AdapterOptions {
  logger: Logger
  metrics: ServiceMetrics | null
  /** Where apps reach this instance (the embedded store's upload forms and links point there). */
  origin: () => string
}

/** The core's settings, from configuration (test numbers normalised by the phone parser). */
export function coreSettings (config: Config, phones: Ports['phones']): CoreSettings {
  return {
    tokens: config.tokens,
    otp: { ...config.otp, testCodes: normaliseTestCodes(config.otp.testCodes, phones.parse) },
    uploads: config.uploads,
    limits: config.rateLimits,
    retention: config.retention,
    emailVerification: config.emailVerification,
    identity: config.identity.settings
  }
}

/** Chooses each adapter from configuration: the real one when configured, else the embedded default. */
export async function createAdapters (config: Config, { logger, metrics, origin }: AdapterOptions): Promise<Adapters> {
  // Facts for the start-up log: which embedded defaults are in use.
  const notices: string[] = []
  const closers: Array<() => Promise<unknown>> = []
  const clock = systemClock
  const ids = randomIds
  const phones = createLibphonenumberParser(config.phone.defaultRegion)

  // Loaded here, not at the top: drizzle-orm's package.json (180 KB of exports) is read again for
  // each of its ~200 modules, about half a second of start-up that a process building the service
  // on other adapters (every HTTP test) should not pay.
  const { connectPostgres, openPglite } = await import('./drizzle/database.js')
  const { createDatabasePorts } = await import('./drizzle/database-ports.js')
  let database: DatabaseHandle
  // The slow pool (database-ports.ts): null on PGlite, whose one database serves both.
  let slowDatabase: DatabaseHandle | null = null
  if (config.database.url !== null) {
    database = connectPostgres({
      url: config.database.url,
      poolSize: config.database.poolSize,
      connectTimeoutSeconds: config.database.connectTimeoutSeconds,
      prepare: config.database.preparedStatements
    })
    // Not migrated nor checked for readiness: a replica follows the primary's schema, and the slow
    // pool failing answers the console's slow pages 503 without taking sign-ins out of service.
    slowDatabase = connectPostgres({
      url: config.database.replicaUrl ?? config.database.url,
      poolSize: config.database.slowPoolSize,
      connectTimeoutSeconds: config.database.connectTimeoutSeconds,
      prepare: config.database.preparedStatements
    })
    const slow = slowDatabase
    closers.push(() => slow.close())
  } else {
    // One writer per DATA_DIR, taken before PGlite touches its files and released after it closes.
    const lock = await takeDataDirLock(config.dataDir)
    closers.push(() => lock.release())
    database = await openPglite(join(config.dataDir, 'pglite')).catch(async (error: unknown) => {
      await lock.release()
      throw error
    })
    notices.push(`embedded database (PGlite) in ${join(config.dataDir, 'pglite')}: one instance only`)
  }
  closers.push(() => database.close())
  try {
    await database.migrate()
  } catch (error) {
    for (const close of [...closers].reverse()) await close().catch(() => {})
    throw config.database.url === null
      ? new StoreUnreachableError('pglite', { dataDir: join(config.dataDir, 'pglite') }, reasonOf(error))
      : new StoreUnreachableError('postgres', describePostgresUrl(config.database.url), reasonOf(error))
  }
  const load: QueryLoad = { inFlight: 0 }
  const slow = slowDatabase === null ? null : { db: slowDatabase.db, load: { inFlight: 0 } }
  const poolSize = config.database.url === null ? 1 : config.database.poolSize
  const slowPoolSize = config.database.slowPoolSize
  metrics?.watchDatabasePool(() => [
    { pool: 'primary', size: poolSize, inFlight: load.inFlight },
    ...(slow === null ? [] : [{ pool: 'slow' as const, size: slowPoolSize, inFlight: slow.load.inFlight }])
  ])
  const guard = { queryTimeoutMs: config.database.queryTimeoutSeconds * 1000, load }
  // The members' stores: one database, one port per capability; the three a card depends on may
  // be wrapped by the Redis account cache below.
  const stored = createDatabasePorts(database.db, ids, guard, slow === null ? {} : { slow })
  let cardStores = { accounts: stored.accounts, emailChanges: stored.emailChanges, review: stored.review }
  const readiness: ReadinessChecks = { database: () => cardStores.accounts.ping() }

  let shared: Pick<
    Ports,
    | 'revocations'
    | 'otps'
    | 'hits'
    | 'knownClients'
    | 'staffSessions'
    | 'sessions'
    | 'memberPresence'
    | 'ceremonyChallenges'
  >
  let catalogVersion = localCatalogVersion()
  if (config.redis.url !== null || config.redis.sentinels !== null) {
    const client = connectRedis(config.redis)
    observeRedis(client, {
      down: cause => {
        const hint = hintFor(cause.code, 'redis')
        logger.error(
          { event: 'redis.down', cause, ...(hint === undefined ? {} : { hint }) },
          'Redis is unreachable: routes that need it answer 503 until it is back'
        )
      },
      up: () => {
        logger.info({ event: 'redis.up' }, 'Redis answers again')
      },
      ...(metrics === null
        ? {}
        : {
            command: (command, seconds, failed) => {
              metrics.redisCommands.observe({ command }, seconds)
              if (failed) metrics.redisErrors.inc({ command })
            }
          })
    })
    closers.push(() => client.quit().catch(() => client.disconnect()))
    // Not awaited: start-up never waits on it; it warns once if Redis could lose security state
    // (docs/operations.md). It catches its own failures, so nothing is left unhandled.
    // eslint-disable-next-line no-void -- started, never awaited
    void checkRedisConfig(
      client,
      (fields, message) => {
        logger.warn(fields, message)
      },
      { timeoutMs: config.redis.commandTimeoutMs }
    )
    shared = {
      revocations: createRedisRevocationStore(client, clock),
      otps: createRedisOtpStore(client),
      hits: createRedisHitCounter(client),
      knownClients: createRedisKnownClients(client),
      staffSessions: createRedisStaffSessionStore(client, { clock, settings: STAFF_SESSION_SETTINGS }),
      memberPresence: createRedisMemberPresence(client),
      sessions: createRedisSessionRegistry(client, clock),
      ceremonyChallenges: createRedisCeremonyChallenges(client)
    }
    cardStores = withRedisAccountCache(cardStores, client)
    catalogVersion = createRedisCatalogVersion(client)
    readiness.redis = async () => { await client.ping() }
  } else {
    shared = {
      revocations: createMemoryRevocationStore(clock),
      otps: createMemoryOtpStore(clock),
      hits: createMemoryHitCounter(clock),
      knownClients: createMemoryKnownClients(clock),
      staffSessions: createMemoryStaffSessionStore({ clock, settings: STAFF_SESSION_SETTINGS }),
      memberPresence: createMemoryMemberPresence(clock),
      sessions: createMemorySessionRegistry(),
      ceremonyChallenges: createMemoryCeremonyChallenges(clock)
    }
    notices.push(
      'no REDIS_URL: codes, revocations, rate limits and console sessions live in this process only; ' +
        'do not run more than one instance'
    )
  }

  // The SDK adapters are loaded only when configured: the embedded default never holds their code.
  // loadConfig has required the chosen provider's settings, so the non-null checks only narrow types.
  const { provider, twilio, solapi } = config.sms
  const sms =
    provider === 'twilio' && twilio.accountSid !== null && twilio.authToken !== null
      ? (await import('./twilio/twilio-sms-sender.js')).createTwilioSmsSender({
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: twilio.from,
          messagingServiceSid: twilio.messagingServiceSid,
          timeoutMs: twilio.timeoutMs
        })
      : provider === 'solapi' && solapi.apiKey !== null && solapi.apiSecret !== null && solapi.sender !== null
        ? (await import('./solapi/solapi-sms-sender.js')).createSolapiSmsSender({
            apiKey: solapi.apiKey,
            apiSecret: solapi.apiSecret,
            sender: solapi.sender,
            baseUrl: solapi.baseUrl,
            timeoutMs: solapi.timeoutMs
          })
        : createLogSmsSender(event => logger.info({ event: event.event, to: event.to, text: event.body }, 'sms.sent'))
  if (provider === 'log') notices.push('SMS_PROVIDER=log: texts (with their codes) are written to the log as sms.sent')

  const { mail: mailConfig } = config
  // loadConfig has refused SMTP_URL without MAIL_FROM, so both or neither are set here.
  const mail =
    mailConfig.smtpUrl !== null && mailConfig.from !== null
      ? (await import('./smtp/smtp-mail-sender.js')).createSmtpMailSender({
          url: mailConfig.smtpUrl,
          from: mailConfig.from,
          timeoutMs: mailConfig.timeoutMs
        })
      : createLogMailSender(event => logger.info(event, 'email.sent'))
  if (mailConfig.smtpUrl === null) {
    notices.push('no SMTP_URL: mails (with their codes) are written to the log as email.sent')
  }

  const secret = config.jwt.secret ?? await loadOrCreateSecret(config.dataDir)
  if (config.jwt.secret === null) notices.push(`no JWT_SECRET: using the generated secret kept in ${config.dataDir}`)

  let localFiles: LocalFileStore | null = null
  let files: FileStore
  const { s3 } = config
  if (s3.bucket !== null) {
    const { createS3FileStore } = await import('./s3/s3-file-store.js')
    files = createS3FileStore({
      bucket: s3.bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: s3.forcePathStyle,
      requestTimeoutMs: s3.timeoutMs,
      ...(s3.accessKeyId !== null && s3.secretAccessKey !== null
        ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
        : {})
    })
  } else {
    const root = join(config.dataDir, 'files')
    // Its own key, derived from the signing secret: an upload signature is never a token signature.
    const storeSecret = createHmac('sha256', secret).update('local-file-store').digest()
    localFiles = createLocalFileStore({
      blobs: await createDiskBlobStore(root),
      secret: storeSecret,
      publicUrl: origin,
      clock
    })
    files = localFiles
    notices.push(`no S3_BUCKET: uploads are stored in ${root} and served by this instance`)
  }

  const fcm = config.firebase.serviceAccount === null ? null : await import('./fcm/fcm-push-sender.js')
  const push = fcm !== null && config.firebase.serviceAccount !== null
    ? fcm.createFcmPushSender({ messaging: fcm.createFirebaseMessaging(config.firebase.serviceAccount) })
    : createLogPushSender((event) => logger.info(event, 'push.sent'))
  if (config.firebase.serviceAccount === null) {
    notices.push('no FIREBASE_SERVICE_ACCOUNT: pushes are written to the log as push.sent')
  }

  // loadConfig has refused IDENTITY_VERIFICATION=optional|required without PortOne's settings.
  const { portone } = config.identity
  const identityVerifier = portone === null
    ? null
    : (await import('./portone/portone-identity-verifier.js')).createPortOneIdentityVerifier(portone)

  // Sign-in with providers and passkeys: each on by its own settings (loadConfig refused half-set ones).
  const { signIn } = config
  const { createProviderIdTokenVerifier } = await import('./oidc/provider-id-token-verifier.js')
  const idTokens = createProviderIdTokenVerifier({ providers: signIn.providers, timeoutMs: signIn.timeoutMs, clock })
  const { createAppleTokens } = await import('./apple/apple-tokens.js')
  const appleTokens = signIn.apple === null
    ? null
    : await createAppleTokens({ ...signIn.apple, timeoutMs: signIn.timeoutMs, clock })
  const webAuthn = signIn.webAuthn === null
    ? null
    : (await import('./webauthn/simple-webauthn.js')).createSimpleWebAuthn(signIn.webAuthn)

  for (const notice of notices) logger.warn({ event: 'embedded.default' }, notice)
  const ports: Ports = {
    ...cardStores,
    fileDeletions: stored.fileDeletions,
    pushTokens: stored.pushTokens,
    // Copied into the process (member reads resolve interests without a query), checked against
    // the shared version every second; see cached-catalog-repository.ts.
    catalog: withCatalogCache(stored.catalog, {
      version: catalogVersion,
      clock,
      ...CATALOG_CACHE_TIMES
    }),
    audit: stored.audit,
    revocationLedger: stored.revocationLedger,
    staff: stored.staff,
    undos: stored.undos,
    rejectionReasons: stored.rejectionReasons,
    memberNotes: stored.memberNotes,
    identities: stored.identities,
    identityVerifier,
    linkedIdentities: stored.linkedIdentities,
    passkeys: stored.passkeys,
    providerRevocations: stored.providerRevocations,
    idTokens,
    appleTokens,
    webAuthn,
    totp: createOtpauthTotpAuthenticator(),
    ...shared,
    sms,
    mail,
    phones,
    clock,
    ids,
    random: cryptoRandom,
    codeHasher: createHmacCodeHasher(secret),
    hasher: await createArgon2PasswordHasher(config.argon2),
    codec: createJwtTokenCodec({
      keys: jwtKeySet(config.jwt.keys, secret),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience
    }),
    files,
    push
  }
  return {
    ports,
    localFiles,
    readiness,
    async close () {
      for (const close of closers.reverse()) await close().catch(() => {})
    }
  }
}

function normaliseTestCodes (
  codes: Map<string, string>,
  parse: (input: string) => PhoneNumber | null
): Map<PhoneNumber, string> {
  const normalised = new Map<PhoneNumber, string>()
  for (const [number, code] of codes) {
    const phone = parse(number)
    if (phone !== null) normalised.set(phone, code)
  }
  return normalised
}
