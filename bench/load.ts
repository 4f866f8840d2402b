import autocannon, { type Options, type Request, type Result } from 'autocannon'

/** One measured load: what the table and results.json report. */
export interface Stats { requests: number, seconds: number, rps: number, p50Ms: number, p99Ms: number, errors: number }

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

async function cannon (options: Options, onLatency?: (statusCode: number, ms: number) => void): Promise<Result> {
  return await new Promise((resolve, reject) => {
    const instance = autocannon({ pipelining: 1, timeout: 10, ...options }, (error, result) => error === null ? resolve(result) : reject(error))
    if (onLatency !== undefined) instance.on('response', (_client, statusCode, _bytes, ms) => onLatency(statusCode, ms))
  })
}

/**
 * `connections` connections for `seconds`, each sending the next request as soon as the last
 * answered, after an unmeasured warm-up of the same load (JIT, pool connections, prepared
 * statements): the figures are the steady state, not the first second of a cold process.
 */
export async function runFor (options: Omit<Options, 'duration' | 'amount'> & { seconds: number, warmUp?: boolean }): Promise<Stats> {
  const { seconds, warmUp = true, ...rest } = options
  if (warmUp) await cannon({ ...rest, duration: Math.max(1, Math.round(seconds * 0.3)) })
  const result = await cannon({ ...rest, duration: seconds })
  const requests = result['2xx'] + result.non2xx
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors
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

  async run<T> (url: string, items: T[], build: (item: T) => Request, { connections, onBody }: { connections: number, onBody?: (body: string, status: number) => void }): Promise<void> {
    const queue = [...items]
    const request: Request = {
      setupRequest: (req) => ({ ...req, ...build(queue.shift() ?? items[0]!) }),
      ...(onBody === undefined ? {} : { onResponse: (status: number, body: string) => onBody(body, status) })
    }
    const result = await cannon({ url, connections: Math.min(connections, items.length), amount: items.length, requests: [request] }, (_status, ms) => this.latencies.push(ms))
    this.requests += result['2xx'] + result.non2xx
    this.errors += result.non2xx + result.errors
    this.seconds += result.duration
  }

  stats (): Stats {
    const sorted = [...this.latencies].sort((a, b) => a - b)
    return { requests: this.requests, seconds: this.seconds, rps: this.requests / this.seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors: this.errors }
  }
}

export function statsOf (latencies: number[], seconds: number, errors = 0): Stats {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { requests: sorted.length, seconds, rps: sorted.length / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors }
}

export const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Request =>
  ({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
