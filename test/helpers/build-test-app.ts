import { Writable } from 'node:stream'
import type { Test } from 'tap'
import type { CoreSettings } from '../../src/application/make-use-cases.js'
import type { Ports } from '../../src/application/ports/ports.js'
import { STAFF_SESSION_SETTINGS } from '../../src/application/staff/staff-session-settings.js'
import { buildService } from '../../src/adapters/build-service.js'
import { loadConfig, type Config } from '../../src/adapters/config/load-config.js'
import { jwtKeySet } from '../../src/adapters/config/jwt-keys-config.js'
import type { Adapters } from '../../src/adapters/create-adapters.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import type { RateLimitSettings } from '../../src/adapters/http/rate-limits.js'
import { createJwtTokenCodec } from '../../src/adapters/jwt/jwt-token-codec.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
import { createMemoryCatalogRepository } from '../fakes/memory-catalog-repository.js'
import { createMemoryOtpStore } from '../../src/adapters/memory/memory-otp-store.js'
import { createMemoryRevocationStore } from '../../src/adapters/memory/memory-revocation-store.js'
import { createMemorySmsSender, type MemorySmsSender } from '../fakes/memory-sms-sender.js'
import { createMemoryIdTokenVerifier, type MemoryIdTokenVerifier } from '../fakes/memory-id-token-verifier.js'
import { createMemoryCeremonyChallenges } from '../../src/adapters/memory/memory-ceremony-challenges.js'
import { createMemoryMailSender, type MemoryMailSender } from '../fakes/memory-mail-sender.js'
import { createMemoryPushSender, type MemoryPushSender } from '../fakes/memory-push-sender.js'
import { createMemoryHitCounter } from '../../src/adapters/memory/memory-hit-counter.js'
import { createMemoryMemberPresence } from '../../src/adapters/memory/memory-member-presence.js'
import { createMemoryMemberNotes } from '../fakes/memory-member-notes.js'
import { createMemoryRejectionReasons } from '../fakes/memory-rejection-reasons.js'
import { createMemoryKnownClients } from '../../src/adapters/memory/memory-known-clients.js'
import { createMemoryRevocationLedger } from '../fakes/memory-revocation-ledger.js'
import { createMemoryAuditLog } from '../fakes/memory-audit-log.js'
import { createMemoryStaffRepository } from '../fakes/memory-staff-repository.js'
import { createMemoryStaffSessionStore } from '../../src/adapters/memory/memory-staff-session-store.js'
import { createMemorySessionRegistry } from '../../src/adapters/memory/memory-session-registry.js'
import { createOtpauthTotpAuthenticator } from '../../src/adapters/system/otpauth-totp-authenticator.js'
import { createMemoryBlobStore } from '../../src/adapters/local-storage/memory-blob-store.js'
import type { LocalFileStore } from '../../src/adapters/http/embedded-file-store.js'
import { createLocalFileStore } from '../../src/adapters/local-storage/local-file-store.js'
import { createMemoryUserStores } from '../fakes/memory-user-stores.js'
import { createMemoryUndoStore } from '../fakes/memory-undo-store.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { cryptoRandom } from '../../src/adapters/system/crypto-random.js'
import { createHmacCodeHasher } from '../../src/adapters/system/hmac-code-hasher.js'
import { createLibphonenumberParser } from '../../src/adapters/system/libphonenumber-phone-parser.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import type { ServiceMetrics } from '../../src/adapters/http/service-metrics.js'
import { ManualClock } from './manual-clock.js'

export const TEST_JWT = {
  secret: 'test-secret-test-secret-test-secret-0123',
  issuer: 'mobile-auth',
  audience: 'mobile-apps'
}
/** The codec settings of TEST_JWT: its secret's HS256 key alone, as with JWT_KEYS unset. */
export const TEST_CODEC = {
  keys: jwtKeySet({ listed: null, signingKid: null, secretVerifies: true }, TEST_JWT.secret),
  issuer: TEST_JWT.issuer,
  audience: TEST_JWT.audience
}
export const TEST_PHONE = '+821012345678' as PhoneNumber
export const TEST_PHONE_CODE = '123456'
export const TEST_SETTINGS: CoreSettings = {
  tokens: {
    accessTtlSeconds: 900,
    refreshTtlSeconds: 30 * 86400,
    emailAccessTtlSeconds: 30 * 86400,
    leewaySeconds: 0,
    reuseGraceSeconds: 10
  },
  otp: {
    ttlSeconds: 180,
    resendCooldownSeconds: 60,
    maxTries: 5,
    testCodes: new Map([[TEST_PHONE, TEST_PHONE_CODE]]),
    allowedCountries: ['KR'],
    hideUnknownNumbers: false
  },
  uploads: { maxBytes: 64 * 1024, formTtlSeconds: 600, readLinkTtlSeconds: 300 },
  // Request and guess limits off (tests fire many requests from one address); abuse tests turn them on.
  limits: {
    enabled: false,
    perAddress: { max: 1000, windowSeconds: 60 },
    guesses: { perAddress: 5, lockSeconds: 900, perTarget: 20, maxDelaySeconds: 300 },
    sms: { perAddressDaily: 10, perNumberDaily: 10, hourly: 1000 }
  },
  retention: { auditDays: 730, verificationFilesDays: null },
  emailVerification: 'optional',
  // Off as with no PortOne settings; the identity tests turn it on with a memory verifier.
  identity: { mode: 'off', duplicates: 'flag', maxAgeMs: 3600_000 }
}
/** Limits as production has them by default. */
export const LIMITS_ON: CoreSettings['limits'] = {
  ...TEST_SETTINGS.limits,
  enabled: true,
  perAddress: { max: 30, windowSeconds: 60 },
  sms: { perAddressDaily: 5, perNumberDaily: 10, hourly: 1000 }
}
export const TEST_ORIGIN = 'http://auth.test'
// Real argon2id, cheaper parameters: the same code path, faster tests.
export const FAST_ARGON2 = { memoryKiB: 1024, iterations: 1, parallelism: 1 }

export interface TestPorts extends Ports {
  clock: ManualClock
  idTokens: MemoryIdTokenVerifier
  sms: MemorySmsSender
  mail: MemoryMailSender
  push: MemoryPushSender
}

export async function memoryPorts (): Promise<TestPorts> {
  const clock = new ManualClock(Date.now())
  const userStores = createMemoryUserStores(clock)
  return {
    clock,
    ids: randomIds,
    ...userStores,
    catalog: createMemoryCatalogRepository(CATALOG_STARTER),
    revocations: createMemoryRevocationStore(clock),
    otps: createMemoryOtpStore(clock),
    sms: createMemorySmsSender(),
    mail: createMemoryMailSender(),
    phones: createLibphonenumberParser('KR'),
    random: cryptoRandom,
    codeHasher: createHmacCodeHasher(TEST_JWT.secret),
    hasher: await createArgon2PasswordHasher(FAST_ARGON2),
    codec: createJwtTokenCodec(TEST_CODEC),
    // The embedded store on memory blobs: the app's own upload and media routes serve it.
    files: createLocalFileStore({
      blobs: createMemoryBlobStore(),
      secret: TEST_JWT.secret,
      publicUrl: TEST_ORIGIN,
      clock
    }),
    push: createMemoryPushSender(),
    hits: createMemoryHitCounter(clock),
    knownClients: createMemoryKnownClients(clock),
    memberPresence: createMemoryMemberPresence(clock),
    rejectionReasons: createMemoryRejectionReasons(),
    memberNotes: createMemoryMemberNotes(async id => (await userStores.accounts.findById(id)) !== null),
    revocationLedger: createMemoryRevocationLedger(),
    audit: createMemoryAuditLog(randomIds),
    staff: createMemoryStaffRepository(randomIds),
    staffSessions: createMemoryStaffSessionStore({ clock, settings: STAFF_SESSION_SETTINGS }),
    sessions: createMemorySessionRegistry(),
    totp: createOtpauthTotpAuthenticator(),
    undos: createMemoryUndoStore(),
    identityVerifier: null,
    idTokens: createMemoryIdTokenVerifier(),
    ceremonyChallenges: createMemoryCeremonyChallenges(clock),
    appleTokens: null,
    webAuthn: null
  }
}

/** Collects the app's JSON log lines so tests can assert what reaches (and never reaches) them. */
export class LogCapture extends Writable {
  readonly lines: string[] = []
  override _write (chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter((line) => line !== ''))
    done()
  }

  get text (): string { return this.lines.join('\n') }
}

export const ADMIN_KEY = 'admin-key-admin-key-admin-key-0001'

/** A configuration as loadConfig makes it, with the test settings in place of the defaults. */
function testConfig (settings: Partial<CoreSettings>, allowList: string[], env: Record<string, string> = {}): Config {
  const base = loadConfig({ JWT_SECRET: TEST_JWT.secret, ADMIN_API_KEY: ADMIN_KEY, ...env })
  const core = { ...TEST_SETTINGS, ...settings }
  return {
    ...base,
    tokens: core.tokens,
    otp: {
      ...base.otp,
      ...core.otp,
      testCodes: new Map(core.otp.testCodes),
      allowedCountries: [...core.otp.allowedCountries]
    },
    uploads: { ...base.uploads, ...core.uploads },
    rateLimits: { ...core.limits, allowList },
    retention: core.retention,
    emailVerification: core.emailVerification,
    identity: { ...base.identity, settings: core.identity }
  }
}

/**
 * The real app on in-memory adapters, built by the production path (buildService); `overrides`
 * swaps any port, `settings` any of the core's settings.
 */
export async function buildTestApp (
  t: Test,
  overrides: Partial<Ports> = {},
  settings: Partial<CoreSettings> = {},
  httpOverrides: {
    rateLimits?: Partial<RateLimitSettings>
    metrics?: ServiceMetrics
    /** Token key variables (JWT_KEYS, JWT_SIGNING_KEY, JWT_SECRET_VERIFIES): the codec and the JWKS follow them. */
    jwtEnv?: Record<string, string>
  } = {}
) {
  const defaults = await memoryPorts()
  const config = testConfig(settings, httpOverrides.rateLimits?.allowList ?? [], httpOverrides.jwtEnv)
  const codec = httpOverrides.jwtEnv === undefined
    ? defaults.codec
    : createJwtTokenCodec({ ...TEST_CODEC, keys: jwtKeySet(config.jwt.keys, TEST_JWT.secret) })
  const ports = { ...defaults, codec, ...overrides } as TestPorts
  const logs = new LogCapture()
  const adapters: Adapters = {
    ports,
    // The embedded store's routes exist when the file store is the embedded one, as in production.
    localFiles: ports.files === defaults.files ? (defaults.files as LocalFileStore) : null,
    readiness: { database: () => ports.accounts.ping() },
    close: async () => {}
  }
  const app = await buildService({
    config,
    adapters,
    logger: createLogger('info', logs),
    metrics: httpOverrides.metrics ?? null
  })
  t.teardown(() => app.close())
  return { app, ports, logs }
}
