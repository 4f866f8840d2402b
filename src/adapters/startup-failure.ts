/**
 * A store the service cannot start without did not answer at start-up. It names where the
 * service looked (never a password) and why, so the one log line it becomes says what to fix.
 */
export class StoreUnreachableError extends Error {
  constructor (
    readonly store: 'postgres' | 'pglite',
    readonly target: Record<string, string>,
    readonly reason: { code: string, message: string }
  ) {
    super(`${store} unreachable at start-up (${reason.code})`)
  }
}

/** Host, port, database and user of a PostgreSQL URL: everything but the password. */
export function describePostgresUrl (url: string): Record<string, string> {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? '5432' : parsed.port,
    database: decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || 'postgres',
    user: decodeURIComponent(parsed.username)
  }
}

/** The code and message of a driver error (a SQLSTATE or a socket code), its cause chain searched. */
export function reasonOf (error: unknown): { code: string, message: string } {
  let current: unknown = error
  while (current instanceof Error) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return { code, message: current.message }
    if (current.cause === undefined) break
    current = current.cause
  }
  return {
    code: error instanceof Error ? error.name : 'unknown',
    message: error instanceof Error ? error.message : String(error)
  }
}
