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

/** Where a failure happened: the store it came from, when one is known. */
export type FailedStore = 'postgres' | 'pglite' | 'redis'

const STORE: Record<FailedStore, { name: string, variable: string }> = {
  postgres: { name: 'PostgreSQL', variable: 'DATABASE_URL' },
  pglite: { name: 'the embedded database', variable: 'DATA_DIR' },
  redis: { name: 'Redis', variable: 'REDIS_URL' }
}

type Hint = (store: { name: string, variable: string }) => string

const unreachable: Hint = ({ name, variable }) =>
  `${name} did not answer: check that it is running, that ${variable} names its host and port, ` +
  'and that the network (a NetworkPolicy, a firewall) lets this service reach it'
const unresolved: Hint = ({ variable }) =>
  `the host in ${variable} does not resolve: check its spelling and this network's DNS`
const notWritable: Hint = () =>
  "DATA_DIR is not writable by the service's user: mount it read-write (a volume) or choose another directory"

/**
 * What to do, for the causes an operator meets most: one row per code a driver, the socket layer
 * or the file system reports (a SQLSTATE, an errno). Looked up by `hintFor`; a code without a row
 * gets no hint rather than a wrong one.
 */
const HINTS: Record<string, Hint> = {
  ECONNREFUSED: ({ name, variable }) =>
    `${name} refused the connection: check that it is running and that ${variable} names its host and port`,
  ECONNRESET: ({ name, variable }) =>
    `${name} closed the connection: check that ${variable} names its port, and its scheme if it requires TLS`,
  ETIMEDOUT: unreachable,
  CONNECT_TIMEOUT: unreachable,
  EHOSTUNREACH: unreachable,
  ENETUNREACH: unreachable,
  ENOTFOUND: unresolved,
  EAI_AGAIN: unresolved,
  // invalid_password, invalid_authorization_specification (no such role, or pg_hba.conf refuses it)
  '28P01': () => 'PostgreSQL refused the password: check the user and password in DATABASE_URL',
  28000: () =>
    'PostgreSQL refused this user: check the user in DATABASE_URL exists and pg_hba.conf lets it in from here',
  // invalid_catalog_name
  '3D000': () => 'the database named in DATABASE_URL does not exist: create it (createdb) or correct the name',
  // insufficient_privilege: migrations create tables and indexes
  42501: () =>
    "DATABASE_URL's user may not change the schema: run migrate as the database's owner, or grant it CREATE",
  EADDRINUSE: () => 'another process already listens on PORT (or METRICS_PORT): stop it or choose another port',
  EACCES: notWritable,
  EPERM: notWritable,
  EROFS: notWritable
}

// Any other SQLSTATE met while migrating is a migration that failed, not a connection. (No SQLSTATE
// class starts with E, so an errno such as EPIPE is not taken for one.)
const SQLSTATE = /^[0-9A-DF-Z][0-9A-Z]{4}$/
const MIGRATION_FAILED =
  'a migration failed: run `node dist/cli.js migrate` for its line, and read docs/operations.md ' +
  '(upgrades and rollback) before changing the database by hand'

/** The hint for a failure's code, or undefined when none fits. */
export function hintFor (code: string, store?: FailedStore): string | undefined {
  const hint = HINTS[code]
  if (hint !== undefined) return hint(STORE[store ?? 'postgres'])
  return (store === 'postgres' || store === 'pglite') && SQLSTATE.test(code) ? MIGRATION_FAILED : undefined
}
