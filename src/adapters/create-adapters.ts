import { join } from 'node:path'
import type { Ports } from '../application/make-use-cases.js'
import type { Config } from './config/load-config.js'
import { createArgon2PasswordHasher } from './argon2/argon2-password-hasher.js'
import { connectPostgres, openPglite, type DatabaseHandle } from './drizzle/database.js'
import { createDrizzleUserRepository } from './drizzle/drizzle-user-repository.js'
import type { ReadinessChecks } from './http/health-routes.js'
import { createJwtTokenCodec } from './jwt/jwt-token-codec.js'
import { MemoryRevocationStore } from './memory/memory-revocation-store.js'
import { connectRedis } from './redis/redis-client.js'
import { createRedisRevocationStore } from './redis/redis-revocation-store.js'
import { loadOrCreateSecret } from './system/local-secret.js'
import { randomIds } from './system/random-ids.js'
import { systemClock } from './system/system-clock.js'

export interface Adapters extends Ports {
  readiness: ReadinessChecks
  /** Facts for the start-up log, e.g. which embedded defaults are in use. */
  notices: string[]
  close (): Promise<void>
}

/** Chooses each adapter from configuration: the real one when configured, else the embedded default. */
export async function createAdapters (config: Config): Promise<Adapters> {
  const notices: string[] = []
  const closers: Array<() => Promise<unknown>> = []
  const clock = systemClock
  const ids = randomIds

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

  let revocations: Ports['revocations']
  const readiness: ReadinessChecks = { database: () => users.ping() }
  if (config.redis.url !== null) {
    const redis = connectRedis({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, commandTimeoutMs: config.redis.commandTimeoutMs })
    closers.push(() => redis.quit().catch(() => redis.disconnect()))
    revocations = createRedisRevocationStore(redis, clock)
    readiness.redis = async () => { await redis.ping() }
  } else {
    revocations = new MemoryRevocationStore(clock)
    notices.push('no REDIS_URL: codes, revocations and rate limits live in this process only; do not run more than one instance')
  }

  const secret = config.jwt.secret ?? await loadOrCreateSecret(config.dataDir)
  if (config.jwt.secret === null) notices.push(`no JWT_SECRET: using the generated secret kept in ${config.dataDir}`)

  return {
    users,
    revocations,
    clock,
    ids,
    hasher: await createArgon2PasswordHasher(config.argon2),
    codec: createJwtTokenCodec({ secret, issuer: config.jwt.issuer, audience: config.jwt.audience }),
    readiness,
    notices,
    async close () {
      for (const close of closers.reverse()) await close().catch(() => {})
    }
  }
}
