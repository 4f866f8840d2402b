import { DuplicateValueError, ServiceUnavailableError, type DuplicateField } from '../../domain/errors.js'

const UNIQUE_INDEX_FIELDS: Record<string, DuplicateField> = {
  users_email_key: 'email',
  users_mobile_key: 'mobile',
  users_username_key: 'username',
  users_avatar_key_key: 'avatar',
  users_profile_key_key: 'profile',
  verification_files_key_key: 'verification_files'
}

// Connection-level failures: the database is down, restarting or unreachable.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P03', '08000', '08003', '08006'])

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

function rootCause (error: unknown): Record<string, unknown> {
  let current = error
  while (current instanceof Error && current.cause !== undefined && !hasCode(current)) current = current.cause
  return typeof current === 'object' && current !== null ? current as Record<string, unknown> : {}
}

function hasCode (error: object): boolean {
  return typeof (error as { code?: unknown }).code === 'string'
}

/** Runs a database operation, translating any failure at the boundary. */
export async function guarded<T> (operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw translateDatabaseError(error)
  }
}
