import autocannon, { type Options, type Request, type Result } from 'autocannon'
import { cpuBetween, type CpuProbe, type CpuTime } from './cpu.js'

/**
 * One measured load: what the table and results.json report. `cpuMsPerRequest`: CPU time of the
 * service, its PostgreSQL backends and Redis during the measured load, per request (null where
 * it was not read, or where another load ran beside it).
 */
export interface Stats {
  requests: number
  seconds: number
  rps: number
  p50Ms: number
  p99Ms: number
  errors: number
  cpuMsPerRequest: CpuTime | null
}

let probe: CpuProbe | null = null
/** Every later measured load also reads CPU time through this probe. */
export function readCpuWith (cpu: CpuProbe | null): void { probe = cpu }

const perRequest = (cpu: CpuTime | null, requests: number): CpuTime | null => cpu === null || requests === 0
  ? null
  : { serviceMs: cpu.serviceMs / requests, postgresMs: cpu.postgresMs / requests, redisMs: cpu.redisMs / requests }

/** Runs `work` and answers the CPU time it took, when a probe is set. */
async function timedCpu<T> (work: () => Promise<T>): Promise<{ result: T, cpu: CpuTime | null }> {
  const before = await probe?.read() ?? null
  const result = await work()
  const after = await probe?.read() ?? null
  return { result, cpu: before === null || after === null ? null : cpuBetween(before, after) }
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

async function cannon (options: Options, onLatency?: (statusCode: number, ms: number) => void): Promise<Result> {
  // autocannon ends a timed run at its next sample (every second by default): a shorter run samples
  // as often as it lasts, or it would run a whole second.
  const duration = typeof options.duration === 'number' ? options.duration : undefined
  const sampling = duration !== undefined && duration < 1 ? { sampleInt: duration * 1000 } : {}
  return await new Promise((resolve, reject) => {
    const instance = autocannon({ pipelining: 1, timeout: 10, ...sampling, ...options }, (error, result) =>
      error === null ? resolve(result) : reject(error)
    )
    if (onLatency !== undefined) instance.on('response', (_client, statusCode, _bytes, ms) => onLatency(statusCode, ms))
  })
}

/**
 * `connections` connections for `seconds`, each sending the next request as soon as the last
 * answered, after an unmeasured warm-up of the same load (JIT, pool connections, prepared
 * statements): the figures are the steady state, not the first second of a cold process.
 */
export async function runFor (
  options: Omit<Options, 'duration' | 'amount'> & { seconds: number, warmUp?: boolean }
): Promise<Stats> {
  const { seconds, warmUp = true, ...rest } = options
  // A sub-second window (a quick run's) is warmed as long as it is measured.
  if (warmUp) await cannon({ ...rest, duration: seconds < 1 ? seconds : Math.max(1, Math.round(seconds * 0.3)) })
  const { result, cpu } = await timedCpu(() => cannon({ ...rest, duration: seconds }))
  const requests = result['2xx'] + result.non2xx
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
    cpuMsPerRequest: perRequest(cpu, requests)
  }
}

/**
 * Exactly `amount` requests over `connections` connections, after an unmeasured warm-up of
 * `warmUp` requests: the way the peer benches measure logins (a fixed batch, the clock running
 * from the first request to the last answer), not a steady state.
 */
export async function runAmount (
  options: Omit<Options, 'duration' | 'amount'> & { amount: number, warmUp: number }
): Promise<Stats> {
  const { amount, warmUp, ...rest } = options
  if (warmUp > 0) await cannon({ ...rest, amount: warmUp })
  const { result, cpu } = await timedCpu(() => cannon({ ...rest, amount }))
  const requests = result['2xx'] + result.non2xx
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
    cpuMsPerRequest: perRequest(cpu, requests)
  }
}

/**
 * One request per item, `connections` at a time, until the items are used up: for work where an
 * item may be spent only once (a number's code, inside its resend cooldown). Latencies are kept
 * here so several drains add up to one distribution.
 */
export class Drain {
  private readonly latencies: number[] = []
  private requests = 0
  private errors = 0
  private seconds = 0
  private cpu: CpuTime | null = { serviceMs: 0, postgresMs: 0, redisMs: 0 }

  async run<T>(
    url: string,
    items: T[],
    build: (item: T) => Request,
    { connections, onBody }: { connections: number, onBody?: (body: string, status: number) => void }
  ): Promise<void> {
    const queue = [...items]
    const request: Request = {
      setupRequest: req => ({ ...req, ...build(queue.shift() ?? items[0]!) }),
      ...(onBody === undefined ? {} : { onResponse: (status: number, body: string) => onBody(body, status) })
    }
    const { result, cpu } = await timedCpu(() =>
      cannon(
        { url, connections: Math.min(connections, items.length), amount: items.length, requests: [request] },
        (_status, ms) => this.latencies.push(ms)
      )
    )
    this.cpu =
      cpu === null || this.cpu === null
        ? null
        : {
            serviceMs: this.cpu.serviceMs + cpu.serviceMs,
            postgresMs: this.cpu.postgresMs + cpu.postgresMs,
            redisMs: this.cpu.redisMs + cpu.redisMs
          }
    this.requests += result['2xx'] + result.non2xx
    this.errors += result.non2xx + result.errors
    this.seconds += result.duration
  }

  stats (): Stats {
    const sorted = [...this.latencies].sort((a, b) => a - b)
    return {
      requests: this.requests,
      seconds: this.seconds,
      rps: this.requests / this.seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      errors: this.errors,
      cpuMsPerRequest: perRequest(this.cpu, this.requests)
    }
  }
}

export function statsOf (latencies: number[], seconds: number, errors = 0): Stats {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    requests: sorted.length,
    seconds,
    rps: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
    cpuMsPerRequest: null
  }
}

export const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Request =>
  ({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
