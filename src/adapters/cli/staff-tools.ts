import { join } from 'node:path'
import { makeRecordAudit } from '../../application/audit/record-audit.js'
import { makeAddStaff, type AddStaff } from '../../application/staff/add-staff.js'
import { makeStaffAdmin, type StaffAdmin } from '../../application/staff/staff-admin.js'
import {
  makeResetStaffPassword,
  type PasswordReset,
  type PasswordResetter
} from '../../application/staff/staff-passwords.js'
import { STAFF_SESSION_SETTINGS } from '../../application/staff/staff-session-settings.js'
import type { StaffRepository } from '../../application/ports/records/staff-repository.js'
import type { StaffSessionStore } from '../../application/ports/shared-state/staff-session-store.js'
import { createArgon2PasswordHasher } from '../argon2/argon2-password-hasher.js'
import type { StaffCommandConfig } from '../config/staff-command-config.js'
import type { DatabaseHandle } from '../drizzle/database.js'
import { DataDirLockedError, takeDataDirLock, type DataDirLock } from '../local-storage/data-dir-lock.js'
import { createMemoryStaffSessionStore } from '../memory/memory-staff-session-store.js'
import { StoreUnreachableError, describePostgresUrl, reasonOf } from '../startup-failure.js'
import { createOtpauthTotpAuthenticator } from '../system/otpauth-totp-authenticator.js'
import { cryptoRandom } from '../system/crypto-random.js'
import { randomIds } from '../system/random-ids.js'
import { systemClock } from '../system/system-clock.js'

/**
 * Where the console sessions a command ends live: `redis` (ended there), `none` (the embedded
 * database with no service running: its in-memory sessions ended with it), `service_memory` (no
 * Redis: a service running on the same PostgreSQL keeps them in its own memory, out of reach).
 */
export type SessionReach = 'redis' | 'none' | 'service_memory'

/** The staff use-cases over the configured stores, opened for one command. */
export interface StaffTools {
  staff: StaffRepository
  admin: StaffAdmin
  /** Loads argon2 (with the configured cost) only for the commands that set a password. */
  addStaff (): Promise<AddStaff>
  /** The operator's password reset (argon2 loaded likewise). */
  resetPassword (): Promise<(by: PasswordResetter, staffId: string) => Promise<PasswordReset>>
  sessions: SessionReach
  close (): Promise<void>
}

/** Redis did not answer a PING within REDIS_COMMAND_TIMEOUT_MS. */
export class RedisUnreachableError extends Error {
  constructor (readonly reason: { code: string, message: string }) {
    super(`redis unreachable (${reason.code})`)
  }
}

/**
 * Opens what a staff command works on, as the service opens it: PostgreSQL, or the embedded
 * database under DATA_DIR's lock, migrated first (so the first admin can be made on an empty
 * database, before or after the migration Job). Answers the DataDirLockedError when a running
 * service holds the embedded database: then only that process may write it.
 */
export async function openStaffTools (
  config: StaffCommandConfig,
  { endsSessions }: { endsSessions: boolean }
): Promise<StaffTools | DataDirLockedError> {
  const closers: Array<() => Promise<unknown>> = []
  const close = async () => { for (const closer of closers.reverse()) await closer().catch(() => {}) }
  try {
    // Redis first: a command that cannot end sessions changes nothing.
    const redisSessions = endsSessions ? await connectSessions(config, closers) : null
    const database = await openDatabase(config)
    if (database instanceof DataDirLockedError) {
      await close()
      return database
    }
    closers.push(() => database.close())
    try {
      await database.migrate()
    } catch (error) {
      throw config.database.url === null
        ? pgliteUnreachable(config, error)
        : new StoreUnreachableError('postgres', describePostgresUrl(config.database.url), reasonOf(error))
    }
    const { createDrizzleStaffRepository } = await import('../drizzle/drizzle-staff-repository.js')
    const { createDrizzleAuditLog } = await import('../drizzle/drizzle-audit-log.js')
    const staff = createDrizzleStaffRepository(database.db, randomIds)
    const recordAudit = makeRecordAudit({ audit: createDrizzleAuditLog(database.db, randomIds), clock: systemClock })
    const totp = createOtpauthTotpAuthenticator()
    // Without Redis the sessions this process could reach are none: an empty store ends nothing.
    const sessions = redisSessions ?? createMemoryStaffSessionStore({
      clock: systemClock,
      settings: STAFF_SESSION_SETTINGS
    })
    const hasher = async () => await createArgon2PasswordHasher(config.argon2)
    return {
      staff,
      admin: makeStaffAdmin({ staff, sessions, totp, recordAudit }),
      addStaff: async () => makeAddStaff({ staff, hasher: await hasher(), totp, clock: systemClock, recordAudit }),
      resetPassword: async () =>
        makeResetStaffPassword({ staff, sessions, hasher: await hasher(), random: cryptoRandom, recordAudit }),
      sessions: redisSessions !== null ? 'redis' : config.database.url === null ? 'none' : 'service_memory',
      close
    }
  } catch (error) {
    await close()
    throw error
  }
}

async function connectSessions (
  config: StaffCommandConfig,
  closers: Array<() => Promise<unknown>>
): Promise<StaffSessionStore | null> {
  if (config.redis.url === null && config.redis.sentinels === null) return null
  const { connectRedis } = await import('../redis/redis-client.js')
  const { createRedisStaffSessionStore } = await import('../redis/redis-staff-session-store.js')
  const client = connectRedis(config.redis)
  let failure: unknown = null
  // Listening keeps ioredis from printing a plain-text stack for each failed connection.
  client.on('error', (error: unknown) => { failure ??= error })
  closers.push(() => client.quit().catch(() => client.disconnect()))
  try {
    await client.ping()
  } catch (error) {
    client.disconnect()
    throw new RedisUnreachableError(reasonOf(failure ?? error))
  }
  return createRedisStaffSessionStore(client, { clock: systemClock, settings: STAFF_SESSION_SETTINGS })
}

/** A DataDirLockedError: the embedded database is the running service's, which must do the work. */
async function openDatabase (config: StaffCommandConfig): Promise<DatabaseHandle | DataDirLockedError> {
  // Loaded only now: a mistyped argument is answered before the database code loads.
  const { connectPostgres, openPglite } = await import('../drizzle/database.js')
  if (config.database.url !== null) {
    return connectPostgres({
      url: config.database.url,
      poolSize: 2,
      connectTimeoutSeconds: config.database.connectTimeoutSeconds,
      // Behind PgBouncer before 1.21 (transaction mode) named statements lose committed writes.
      prepare: config.database.preparedStatements
    })
  }
  // The embedded database is one process's: a second one writing the same files loses data. The
  // service holds DATA_DIR's lock while it runs; when none does, this command holds it meanwhile,
  // so a service started in the meantime refuses to start rather than open the same files.
  let lock: DataDirLock
  try {
    lock = await takeDataDirLock(config.dataDir)
  } catch (error) {
    if (error instanceof DataDirLockedError) return error
    throw pgliteUnreachable(config, error)
  }
  try {
    const database = await openPglite(pgliteDir(config))
    return { ...database, close: async () => { await database.close(); await lock.release() } }
  } catch (error) {
    await lock.release()
    throw pgliteUnreachable(config, error)
  }
}

/** The embedded database's directory, under DATA_DIR. */
const pgliteDir = (config: StaffCommandConfig): string => join(config.dataDir, 'pglite')

function pgliteUnreachable (config: StaffCommandConfig, error: unknown): StoreUnreachableError {
  return new StoreUnreachableError('pglite', { dataDir: pgliteDir(config) }, reasonOf(error))
}
