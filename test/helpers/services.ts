import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { Redis } from 'ioredis'
import type { Test } from 'tap'

export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const IN_CI = process.env.CI === 'true'
/**
 * `npm run test:quick`, the inner loop: the memory adapters and the app through inject only.
 * Suites on PostgreSQL, Redis and PGlite skip, saying so; `npm test` (and CI) runs them all.
 */
export const QUICK = process.env.TEST_QUICK === '1' ? 'npm run test:quick runs the memory adapters only' : false
/** Skips a PGlite suite in the quick loop (PGlite is embedded: nothing to be unreachable). */
export const noPglite: false | string = QUICK

/**
 * Whether a suite that needs a service must skip: false when the service answers. Outside CI a
 * missing service skips with the reason; under CI=true it is a failure, never a silent skip.
 */
async function unavailable (name: string, probe: () => Promise<void>): Promise<false | string> {
  if (QUICK !== false) return QUICK
  try {
    await probe()
    return false
  } catch (error) {
    const reason = `${name} not reachable (${(error as Error).message})`
    if (IN_CI) throw new Error(`${reason}; CI=true requires it`)
    return `${reason}; skipped outside CI`
  }
}

export const noPg = await unavailable('PostgreSQL', async () => {
  const sql = postgres(POSTGRES_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} })
  try { await sql`select 1` } finally { await sql.end({ timeout: 1 }) }
})

export const noRedis = await unavailable('Redis', async () => {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null
  })
  try { await redis.connect(); await redis.ping() } finally { redis.disconnect() }
})

export const uniqueSuffix = (): string => randomBytes(6).toString('hex')

/** A database of this test's own, dropped when the test ends. */
export async function createTestDatabase (t: Test): Promise<string> {
  const name = `test_${uniqueSuffix()}`
  const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end({ timeout: 2 })
  })
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/** A Redis key prefix of this test's own; its keys are deleted when the test ends. */
export function createTestRedisPrefix (t: Test): string {
  const prefix = `test:${uniqueSuffix()}:`
  t.teardown(async () => {
    const redis = new Redis(TEST_REDIS_URL)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })
  return prefix
}

/** A Redis client under a fresh prefix, closed and cleaned up with the test. */
export function createTestRedis (t: Test): Redis {
  const redis = new Redis(TEST_REDIS_URL, { keyPrefix: createTestRedisPrefix(t) })
  t.teardown(() => redis.quit())
  return redis
}
