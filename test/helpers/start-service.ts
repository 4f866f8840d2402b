import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { composeService } from '../../src/adapters/build-service.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { LogCapture } from './build-test-app.js'
import { TEST_REDIS_URL, createTestDatabase, createTestRedisPrefix } from './services.js'

/**
 * The real service, composed as main.ts composes it, on a database and Redis
 * prefix of this test's own, listening on a free loopback port (or on `port`, for a test whose
 * configuration names the service's own origin, such as WEBAUTHN_ORIGINS).
 */
export async function startServiceOnPostgresAndRedis (
  t: Test,
  env: Record<string, string> = {},
  { via = {}, port = 0 }: { via?: { databasePort?: number, redisPort?: number }, port?: number } = {}
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-e2e-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const config = loadConfig({
    DATABASE_URL: throughPort(await createTestDatabase(t), via.databasePort),
    REDIS_URL: throughPort(TEST_REDIS_URL, via.redisPort),
    REDIS_KEY_PREFIX: createTestRedisPrefix(t),
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
    DATA_DIR: dataDir,
    PORT: String(port),
    // The suites fire many requests from one address; the rate-limit suites set their own.
    RATE_LIMIT_ALLOWLIST: '127.0.0.1,::1,::ffff:127.0.0.1',
    ...env
  })
  const logs = new LogCapture()
  const app = await composeService(config, createLogger(config.logLevel, logs))
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  const base = `http://127.0.0.1:${address.port}`

  async function call (
    method: string,
    path: string,
    { body, token, headers = {} }: { body?: unknown, token?: string, headers?: Record<string, string> } = {}
  ) {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...headers
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers }
  }
  return { app, base, call, logs, config }
}

/** The same server reached through another local port (a fault-injecting proxy). */
function throughPort (url: string, port: number | undefined): string {
  if (port === undefined) return url
  const through = new URL(url)
  through.hostname = '127.0.0.1'
  through.port = String(port)
  return through.toString()
}
