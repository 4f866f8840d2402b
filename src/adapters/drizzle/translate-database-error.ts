import { DeadlineExceeded, withDeadline } from '../system/with-deadline.js'
import { DuplicateValueError, ServiceUnavailableError, type DuplicateField } from '../../domain/errors.js'
import type { Database } from './database.js'

const UNIQUE_INDEX_FIELDS: Record<string, DuplicateField> = {
  users_email_key: 'email',
  users_mobile_key: 'mobile',
  users_username_key: 'username',
  users_avatar_key_key: 'avatar',
  users_profile_key_key: 'profile',
  verification_files_key_key: 'verification_files',
  // A verification id used before (by a member since deleted too), or a member who already holds one.
  identity_verification_uses_pkey: 'identity_verification_id',
  member_identities_verification_id_key: 'identity_verification_id',
  member_identities_pkey: 'identity_verification_id',
  // A (provider, subject) linked already, to this member or another.
  linked_identities_pkey: 'identity',
  passkeys_pkey: 'passkey'
}

// Connection-level failures: the database is down, restarting or unreachable.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P03',
  '08000',
  '08003',
  '08006'
])

/**
 * Drizzle's query errors carry the SQL parameters (password hashes, emails) in their message, so
 * they never leave this adapter: callers get a domain error or a bare error naming the SQLSTATE.
 */
export function translateDatabaseError (error: unknown): Error {
  const cause = rootCause(error)
  const code = typeof cause.code === 'string' ? cause.code : 'unknown'
  if (code === '23505') {
    const constraint = String(cause.constraint_name ?? cause.constraint ?? '')
    const field = UNIQUE_INDEX_FIELDS[constraint]
    if (field !== undefined) return new DuplicateValueError(field)
  }
  if (UNAVAILABLE_CODES.has(code)) return new ServiceUnavailableError(`database unavailable (${code})`)
  return new Error(`database query failed (SQLSTATE ${code})`)
}

/**
 * A row naming a member who is not there (or went in the meantime): the stores that add a
 * member's rows answer false for it rather than fail.
 */
export function isForeignKeyViolation (error: unknown): boolean {
  return rootCause(error).code === '23503'
}

function rootCause (error: unknown): Record<string, unknown> {
  let current = error
  while (current instanceof Error && current.cause !== undefined && !hasCode(current)) current = current.cause
  return typeof current === 'object' && current !== null ? current as Record<string, unknown> : {}
}

function hasCode (error: object): boolean {
  return typeof (error as { code?: unknown }).code === 'string'
}

export interface GuardOptions {
  /**
   * A query that has not answered by then fails as unavailable: a database behind a dead network
   * never answers and never errors, and a request must not hang on it. The query itself may still
   * finish later; a transaction then commits or rolls back whole.
   */
  queryTimeoutMs?: number
  /** Counts operations in flight (pool metrics); shared by every repository over one pool. */
  load?: QueryLoad
}

/**
 * Database operations in flight. postgres.js keeps its pool's state private; each guarded
 * operation (a transaction included) holds one connection until it settles, so whatever is in
 * flight beyond the pool size is waiting for a connection.
 */
export interface QueryLoad { inFlight: number }

/** The slow reads' pool (database-ports.ts): its database, and the operations in flight on it. */
export interface SlowPool { db: Database, load: QueryLoad }

/** A database and the guard that runs (and counts) the operations on it. */
export interface GuardedDatabase { db: Database, guarded: ReturnType<typeof guardWith> }

/**
 * Where a repository's slow reads go and the guard that counts them: the slow pool's own load, so
 * a long console search is never counted against the pool the sign-ins use (and never shows as
 * sign-ins waiting for a connection); without a slow pool, the primary and its guard.
 */
export function slowReads (primary: GuardedDatabase, options: GuardOptions, slow?: SlowPool): GuardedDatabase {
  return slow === undefined ? primary : { db: slow.db, guarded: guardWith({ ...options, load: slow.load }) }
}

/** Runs a database operation with a deadline, translating any failure at the boundary. */
export function guardWith ({ queryTimeoutMs = 5000, load = { inFlight: 0 } }: GuardOptions = {}) {
  return async function guarded<T> (operation: () => Promise<T>): Promise<T> {
    load.inFlight++
    // Counted until the operation itself settles, not the deadline: a late query still holds its connection.
    const running = operation().finally(() => { load.inFlight-- })
    try {
      return await withDeadline(running, queryTimeoutMs)
    } catch (error) {
      if (error instanceof DeadlineExceeded) {
        throw new ServiceUnavailableError(`database unavailable (no answer in ${queryTimeoutMs} ms)`)
      }
      throw error instanceof ServiceUnavailableError ? error : translateDatabaseError(error)
    }
  }
}
