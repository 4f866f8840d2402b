import { join } from 'node:path'
import type { Logger } from 'pino'
import type { CoreSettings, Ports } from '../application/make-use-cases.js'
import type { PhoneNumber } from '../domain/user.js'
import type { Config } from './config/load-config.js'
import { createArgon2PasswordHasher } from './argon2/argon2-password-hasher.js'
import { connectPostgres, openPglite, type DatabaseHandle } from './drizzle/database.js'
import { createDrizzleCatalogRepository } from './drizzle/drizzle-catalog-repository.js'
import { createDrizzleUserRepository } from './drizzle/drizzle-user-repository.js'
import type { ReadinessChecks } from './http/health-routes.js'
import { createJwtTokenCodec } from './jwt/jwt-token-codec.js'
import { MemoryOtpStore } from './memory/memory-otp-store.js'
import { MemoryRevocationStore } from './memory/memory-revocation-store.js'
import { connectRedis } from './redis/redis-client.js'
import { createRedisOtpStore } from './redis/redis-otp-store.js'
import { createRedisRevocationStore } from './redis/redis-revocation-store.js'
import { cryptoRandom } from './system/crypto-random.js'
import { createHmacCodeHasher } from './system/hmac-code-hasher.js'
import { createLibphonenumberParser } from './system/libphonenumber-phone-parser.js'
import { loadOrCreateSecret } from './system/local-secret.js'
import { createLogSmsSender } from './system/log-sms-sender.js'
import { randomIds } from './system/random-ids.js'
import { systemClock } from './system/system-clock.js'
import { createTwilioSmsSender } from './twilio/twilio-sms-sender.js'

export interface Adapters extends Ports {
  settings: CoreSettings
  readiness: ReadinessChecks
  /** Facts for the start-up log, e.g. which embedded defaults are in use. */
  notices: string[]
  close (): Promise<void>
}

/** Chooses each adapter from configuration: the real one when configured, else the embedded default. */
export async function createAdapters (config: Config, logger: Logger): Promise<Adapters> {
  const notices: string[] = []
  const closers: Array<() => Promise<unknown>> = []
  const clock = systemClock
  const ids = randomIds
  const phones = createLibphonenumberParser(config.phone.defaultRegion)

  let database: DatabaseHandle
  if (config.database.url !== null) {
    database = connectPostgres({ url: config.database.url, poolSize: config.database.poolSize, connectTimeoutSeconds: config.database.connectTimeoutSeconds })
  } else {
    database = await openPglite(join(config.dataDir, 'pglite'))
    notices.push(`embedded database (PGlite) in ${join(config.dataDir, 'pglite')}: one instance only`)
  }
  closers.push(() => database.close())
  await database.migrate()
  const users = createDrizzleUserRepository(database.db, ids)
  const readiness: ReadinessChecks = { database: () => users.ping() }

  let shared: Pick<Ports, 'revocations' | 'otps'>
  if (config.redis.url !== null) {
    const redis = connectRedis({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, commandTimeoutMs: config.redis.commandTimeoutMs })
    closers.push(() => redis.quit().catch(() => redis.disconnect()))
    shared = { revocations: createRedisRevocationStore(redis, clock), otps: createRedisOtpStore(redis) }
    readiness.redis = async () => { await redis.ping() }
  } else {
    shared = { revocations: new MemoryRevocationStore(clock), otps: new MemoryOtpStore(clock) }
    notices.push('no REDIS_URL: codes, revocations and rate limits live in this process only; do not run more than one instance')
  }

  const { twilio } = config
  const sms = twilio.accountSid !== null && twilio.authToken !== null
    ? createTwilioSmsSender({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: twilio.from, messagingServiceSid: twilio.messagingServiceSid, timeoutMs: twilio.timeoutMs })
    : createLogSmsSender((event) => logger.info({ event: event.event, to: event.to, text: event.body }, 'sms.sent'))
  if (twilio.accountSid === null) notices.push('no Twilio configured: texts (with their codes) are written to the log as sms.sent')

  const secret = config.jwt.secret ?? await loadOrCreateSecret(config.dataDir)
  if (config.jwt.secret === null) notices.push(`no JWT_SECRET: using the generated secret kept in ${config.dataDir}`)

  return {
    users,
    catalog: createDrizzleCatalogRepository(database.db),
    ...shared,
    sms,
    phones,
    clock,
    ids,
    random: cryptoRandom,
    codeHasher: createHmacCodeHasher(secret),
    hasher: await createArgon2PasswordHasher(config.argon2),
    codec: createJwtTokenCodec({ secret, issuer: config.jwt.issuer, audience: config.jwt.audience }),
    settings: { tokens: config.tokens, otp: { ...config.otp, testCodes: normaliseTestCodes(config.otp.testCodes, phones.parse) } },
    readiness,
    notices,
    async close () {
      for (const close of closers.reverse()) await close().catch(() => {})
    }
  }
}

function normaliseTestCodes (codes: Map<string, string>, parse: (input: string) => PhoneNumber | null): Map<PhoneNumber, string> {
  const normalised = new Map<PhoneNumber, string>()
  for (const [number, code] of codes) {
    const phone = parse(number)
    if (phone !== null) normalised.set(phone, code)
  }
  return normalised
}
