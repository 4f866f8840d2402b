import argon2, { type HashOptions } from 'argon2'
import type { PasswordHasher } from '../../application/ports/system/password-hasher.js'
import { lowerWorkerPriority } from '../system/lower-worker-priority.js'

/** OWASP's minimum for argon2id (m=19 MiB, t=2, p=1); stronger settings are allowed by config. */
export interface Argon2Settings { memoryKiB: number, iterations: number, parallelism: number }

export const OWASP_ARGON2: Argon2Settings = { memoryKiB: 19456, iterations: 2, parallelism: 1 }

/**
 * argon2 hashes on libuv's thread pool, off the event loop and below its CPU priority. A dummy hash made once at
 * start-up with the same parameters gives unknown emails the same cost as wrong passwords.
 */
export async function createArgon2PasswordHasher (settings: Argon2Settings = OWASP_ARGON2): Promise<PasswordHasher> {
  const options: HashOptions = {
    type: argon2.argon2id,
    memoryCost: settings.memoryKiB,
    timeCost: settings.iterations,
    parallelism: settings.parallelism
  }
  const dummyHash = await argon2.hash('dummy password that matches nothing', options)
  // The hash above started libuv's pool: its threads now run below the event loop (login storms
  // must not take the token routes' CPU; measured in bench/README.md).
  lowerWorkerPriority()
  return {
    hash: async (password) => argon2.hash(password, options),
    async verify (hash, password) {
      try {
        const matches = await argon2.verify(hash ?? dummyHash, password)
        return hash !== null && matches
      } catch {
        return false // a stored value that is not an argon2 hash never matches
      }
    }
  }
}
