import type { EnvReader } from './env-reader.js'

/**
 * The password hash's cost: read here, by the service (load-config.ts) and by the staff commands
 * that set a password, so a password set at the command line costs what one set in the console does.
 * OWASP's argon2id minimum is the floor.
 */
export function readArgon2Settings (read: EnvReader) {
  return {
    memoryKiB: read.integer('ARGON2_MEMORY_KIB', 19456, { min: 19456, max: 4 * 1024 * 1024 }),
    iterations: read.integer('ARGON2_ITERATIONS', 2, { min: 2, max: 100 }),
    parallelism: read.integer('ARGON2_PARALLELISM', 1, { min: 1, max: 16 })
  }
}
