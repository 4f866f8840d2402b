import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { makeUseCases, type Ports } from '../../src/application/make-use-cases.js'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import { buildApp } from '../../src/adapters/http/build-app.js'
import { createJwtTokenCodec } from '../../src/adapters/jwt/jwt-token-codec.js'
import { MemoryRevocationStore } from '../../src/adapters/memory/memory-revocation-store.js'
import { MemoryUserRepository } from '../../src/adapters/memory/memory-user-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { ManualClock } from './manual-clock.js'

export const TEST_TOKEN_SETTINGS = { accessTtlSeconds: 900, refreshTtlSeconds: 30 * 86400, emailAccessTtlSeconds: 30 * 86400, leewaySeconds: 0 }
export const TEST_JWT = { secret: 'test-secret-test-secret-test-secret-0123', issuer: 'mobile-auth', audience: 'mobile-apps' }
// Real argon2id, cheaper parameters: the same code path, faster tests.
export const FAST_ARGON2 = { memoryKiB: 1024, iterations: 1, parallelism: 1 }

export interface TestPorts extends Ports { clock: ManualClock, users: MemoryUserRepository }

export async function memoryPorts (): Promise<TestPorts> {
  const clock = new ManualClock(Date.now())
  return {
    clock,
    ids: randomIds,
    users: new MemoryUserRepository(clock),
    revocations: new MemoryRevocationStore(clock),
    hasher: await createArgon2PasswordHasher(FAST_ARGON2),
    codec: createJwtTokenCodec(TEST_JWT)
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

/** The real app on in-memory adapters; `overrides` swaps any port. */
export async function buildTestApp (t: Test, overrides: Partial<Ports> = {}) {
  const ports = { ...await memoryPorts(), ...overrides } as TestPorts
  const logs = new LogCapture()
  const app = await buildApp({
    useCases: makeUseCases(ports, { tokens: TEST_TOKEN_SETTINGS }),
    settings: { logLevel: 'info', trustProxy: false, bodyLimitBytes: 1024 * 1024 },
    readiness: { database: () => ports.users.ping() },
    logStream: logs
  })
  t.teardown(() => app.close())
  return { app, ports, logs }
}
