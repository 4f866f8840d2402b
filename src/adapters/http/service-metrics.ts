import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** What the database pool looks like now: its size and the operations holding or awaiting a connection. */
export type PoolReading = () => { size: number, inFlight: number }

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
  /** Login attempts by door (`phone`, `email`) and outcome. */
  logins: Counter<'door' | 'outcome'>
  /** 429 answers (rate limits, code cool-downs, too many wrong codes) by route. */
  throttled: Counter<'method' | 'route'>
  /** Redis commands by name: time to answer, and failures (timeouts, refused connections, errors). */
  redisCommands: Histogram<'command'>
  redisErrors: Counter<'command'>
  /** Reads the database pool at each scrape. */
  watchDatabasePool (read: PoolReading): void
}

export function createServiceMetrics (): ServiceMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpLabels = ['method', 'route', 'status_code'] as const
  let pool: PoolReading = () => ({ size: 0, inFlight: 0 })
  addDatabasePoolGauges(registry, () => pool())
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
    }
  }
}

function addDatabasePoolGauges (registry: Registry, read: PoolReading): void {
  const gauge = (name: string, help: string, value: (reading: ReturnType<PoolReading>) => number) => new Gauge({
    name,
    help,
    registers: [registry],
    collect () { this.set(value(read())) }
  })
  gauge('db_pool_size', 'Connections the database pool may open', (reading) => reading.size)
  gauge('db_pool_connections_in_use', 'Database connections held by an operation now', reading =>
    Math.min(reading.inFlight, reading.size)
  )
  gauge('db_pool_waiting', 'Database operations waiting for a free connection now', reading =>
    Math.max(0, reading.inFlight - reading.size)
  )
}
