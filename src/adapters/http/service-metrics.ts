import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * What the database pools look like now: each one's size and the operations holding or awaiting a
 * connection of it (`primary`: every write and hot read; `slow`: the slow reads, DATABASE_SLOW_POOL_SIZE).
 */
export type PoolReading = () => Array<{ pool: 'primary' | 'slow', size: number, inFlight: number }>

/** Named checks of the shared stores (database, redis): each resolves when its store answers in time. */
export type DependencyChecks = Record<string, () => Promise<void>>

/**
 * The service's Prometheus metrics, on a registry of their own: never prom-client's global one,
 * so every app built in one process (the tests build many) counts apart.
 */
export interface ServiceMetrics {
  registry: Registry
  httpRequests: Counter<'method' | 'route' | 'status_code'>
  httpDuration: Histogram<'method' | 'route' | 'status_code'>
  /** Texts handed to the SMS provider: `result` is `sent` or `failed`. */
  smsSends: Counter<'result'>
  auditEvents: Counter<'action'>
  /** Audit entries the store refused; the action that wanted them failed (answered 5xx). */
  auditFailures: Counter<'action'>
  /** Login attempts by door (`phone`, `email`) and outcome. */
  logins: Counter<'door' | 'outcome'>
  /** 429 answers (rate limits, code cool-downs, too many wrong codes) by route. */
  throttled: Counter<'method' | 'route'>
  /** Redis commands by name: time to answer, and failures (timeouts, refused connections, errors). */
  redisCommands: Histogram<'command'>
  redisErrors: Counter<'command'>
  /** Reads the database pool at each scrape. */
  watchDatabasePool (read: PoolReading): void
  /** Runs these checks at each scrape: `auth_dependency_up` is 1 for a store that answered, 0 otherwise. */
  watchDependencies (checks: DependencyChecks): void
}

export function createServiceMetrics (): ServiceMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpLabels = ['method', 'route', 'status_code'] as const
  let pool: PoolReading = () => []
  addDatabasePoolGauges(registry, () => pool())
  let dependencies: DependencyChecks = {}
  addDependencyGauge(registry, () => dependencies)
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames: httpLabels,
      registers: [registry]
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern, method and status',
      labelNames: httpLabels,
      // Argon2 logins take ~50-100 ms and SMS sends up to the provider timeout (5 s).
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry]
    }),
    auditEvents: new Counter({
      name: 'auth_audit_events_total',
      help: 'Events written to the audit trail, by action (sign-ins, sign-ups, self-service, staff decisions)',
      labelNames: ['action'],
      registers: [registry]
    }),
    auditFailures: new Counter({
      name: 'auth_audit_write_failures_total',
      help: 'Audit entries the store refused, by action; the action failed with them',
      labelNames: ['action'],
      registers: [registry]
    }),
    smsSends: new Counter({
      name: 'auth_sms_sends_total',
      help: 'Texts handed to the SMS provider, by result (sent, failed)',
      labelNames: ['result'],
      registers: [registry]
    }),
    logins: new Counter({
      name: 'auth_logins_total',
      help: 'Login attempts by door (phone, email) and outcome',
      labelNames: ['door', 'outcome'],
      registers: [registry]
    }),
    throttled: new Counter({
      name: 'auth_throttled_responses_total',
      help: 'Requests refused with 429 (rate limits, code cool-down, too many wrong codes), by route pattern',
      labelNames: ['method', 'route'],
      registers: [registry]
    }),
    redisCommands: new Histogram({
      name: 'redis_command_duration_seconds',
      help: 'Time for Redis to answer a command, by command name (failures included)',
      labelNames: ['command'],
      // A healthy command answers in well under a millisecond; failures wait out REDIS_COMMAND_TIMEOUT_MS.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2],
      registers: [registry]
    }),
    redisErrors: new Counter({
      name: 'redis_command_errors_total',
      help: 'Redis commands that failed (timeout, connection refused, error reply), by command name',
      labelNames: ['command'],
      registers: [registry]
    }),
    watchDatabasePool (read) {
      pool = read
    },
    watchDependencies (checks) {
      dependencies = checks
    }
  }
}

function addDatabasePoolGauges (registry: Registry, read: PoolReading): void {
  type Reading = ReturnType<PoolReading>[number]
  const gauge = (name: string, help: string, value: (reading: Reading) => number) => new Gauge({
    name,
    help,
    labelNames: ['pool'],
    registers: [registry],
    collect () {
      for (const reading of read()) this.set({ pool: reading.pool }, value(reading))
    }
  })
  gauge('db_pool_size', 'Connections the database pool may open', (reading) => reading.size)
  gauge('db_pool_connections_in_use', 'Database connections held by an operation now', reading =>
    Math.min(reading.inFlight, reading.size)
  )
  gauge('db_pool_waiting', 'Database operations waiting for a free connection now', reading =>
    Math.max(0, reading.inFlight - reading.size)
  )
}

/**
 * 1 when the store answered its check during this scrape, 0 when it failed or timed out. Asked at
 * scrape time rather than copied from the last /ready: the metrics port is scraped whether or not
 * anything probes readiness, and a store's outage shows within one scrape interval.
 */
function addDependencyGauge (registry: Registry, read: () => DependencyChecks): Gauge<'dependency'> {
  return new Gauge({
    name: 'auth_dependency_up',
    help: 'Whether a shared store (database, redis) answered its readiness check at this scrape',
    labelNames: ['dependency'],
    registers: [registry],
    async collect () {
      const results = await Promise.all(Object.entries(read()).map(async ([name, check]) =>
        [name, await check().then(() => 1, () => 0)] as const))
      this.reset()
      for (const [name, up] of results) this.set({ dependency: name }, up)
    }
  })
}
