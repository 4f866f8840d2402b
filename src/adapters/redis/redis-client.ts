import { Redis, type RedisOptions as RedisClientOptions } from 'ioredis'
import { ServiceUnavailableError } from '../../domain/errors.js'

export interface RedisOptions {
  /** A `redis://` or `rediss://` URL; with sentinels, only its credentials, database and TLS count. */
  url: string | null
  sentinels: { hosts: Array<{ host: string, port: number }>, name: string } | null
  keyPrefix: string
  commandTimeoutMs: number
}

/**
 * One client per process. Commands fail fast instead of queueing while Redis is away, so a
 * request answers 503 in bounded time; ioredis keeps reconnecting in the background. With
 * sentinels, ioredis asks them for the primary and follows it through fail-overs.
 */
export function connectRedis ({ url, sentinels, keyPrefix, commandTimeoutMs }: RedisOptions): Redis {
  const options: RedisClientOptions = {
    keyPrefix,
    lazyConnect: false,
    connectTimeout: commandTimeoutMs,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    // Commands issued in the same tick (many requests at once) go out in one write: the syscalls,
    // not Redis, were the cost per request (see bench/README.md).
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000)
  }
  if (sentinels === null) {
    if (url === null) throw new Error('connectRedis needs a URL or sentinels')
    return new Redis(url, options)
  }
  const parsed = url === null ? null : new URL(url)
  return new Redis({
    ...options,
    sentinels: sentinels.hosts,
    name: sentinels.name,
    ...(parsed === null
      ? {}
      : {
          username: decodeURIComponent(parsed.username) || undefined,
          password: decodeURIComponent(parsed.password) || undefined,
          db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
          ...(parsed.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {})
        })
  })
}

/** Redis failures become one domain error; the original (which may hold a key) is not passed on. */
export async function redisCall<T> (operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new ServiceUnavailableError(`redis unavailable (${typeof code === 'string' ? code : (error as Error).name})`)
  }
}

export interface RedisObserver {
  /** Once per outage, with the first failure's cause (never a URL: it may hold the password). */
  down (cause: { code: string, message: string }): void
  /** The connection is ready again after an outage. */
  up (): void
  /** Every command's outcome, counted once however often ioredis re-sends it. */
  command? (name: string, seconds: number, failed: boolean): void
}

const observed = new WeakSet<object>()

/**
 * Turns the client's events into one `down` per outage and one `up` on recovery. Listening to
 * `error` is also what keeps ioredis from printing a plain-text stack for every failed reconnect.
 */
export function observeRedis (client: Redis, observer: RedisObserver): void {
  let down = false
  client.on('error', (error: Error & { code?: unknown }) => {
    if (down) return
    down = true
    observer.down({ code: typeof error.code === 'string' ? error.code : error.name, message: error.message })
  })
  client.on('ready', () => {
    if (!down) return
    down = false
    observer.up()
  })
  const { command } = observer
  if (command === undefined) return
  // Every command, pipelined or not, passes here; a retried one passes again and is timed once.
  const send = client.sendCommand.bind(client)
  client.sendCommand = (cmd, stream) => {
    if (!observed.has(cmd)) {
      observed.add(cmd)
      const started = performance.now()
      cmd.promise.then(
        () => { command(cmd.name, (performance.now() - started) / 1000, false) },
        () => { command(cmd.name, (performance.now() - started) / 1000, true) }
      )
    }
    return send(cmd, stream)
  }
}
