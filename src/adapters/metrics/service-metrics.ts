import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

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
  /** Login attempts by door (`phone`, `email`) and outcome. */
  logins: Counter<'door' | 'outcome'>
  /** 429 answers (rate limits, code cool-downs, too many wrong codes) by route. */
  throttled: Counter<'method' | 'route'>
}

export function createServiceMetrics (): ServiceMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpLabels = ['method', 'route', 'status_code'] as const
  return {
    registry,
    httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: httpLabels, registers: [registry] }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern, method and status',
      labelNames: httpLabels,
      // Argon2 logins take ~50-100 ms and SMS sends up to the provider timeout (5 s).
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry]
    }),
    smsSends: new Counter({ name: 'auth_sms_sends_total', help: 'Texts handed to the SMS provider, by result (sent, failed)', labelNames: ['result'], registers: [registry] }),
    logins: new Counter({ name: 'auth_logins_total', help: 'Login attempts by door (phone, email) and outcome', labelNames: ['door', 'outcome'], registers: [registry] }),
    throttled: new Counter({ name: 'auth_throttled_responses_total', help: 'Requests refused with 429 (rate limits, code cool-down, too many wrong codes), by route pattern', labelNames: ['method', 'route'], registers: [registry] })
  }
}
