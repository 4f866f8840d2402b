import { Cluster, Redis, type Command, type RedisOptions as RedisClientOptions } from 'ioredis'
import { ServiceUnavailableError } from '../../domain/errors.js'

/**
 * What every adapter here takes: one server (or the primary behind sentinels), or a cluster. The
 * adapters work on either because every command, script or MULTI of theirs names keys of one
 * hash slot (a shared `{tag}`); a cluster refuses anything else with CROSSSLOT.
 */
export type RedisClient = Redis | Cluster

export interface RedisOptions {
  /**
   * A `redis://` or `rediss://` URL; with sentinels, only its credentials, database and TLS count;
   * with a cluster, only its credentials and TLS.
   */
  url: string | null
  sentinels: { hosts: Array<{ host: string, port: number }>, name: string } | null
  /** Seeds of a Redis Cluster: the client learns the other nodes from them. */
  cluster?: { nodes: Array<{ host: string, port: number }> } | null
  keyPrefix: string
  commandTimeoutMs: number
}

/** Redirections followed for one command (MOVED, ASK, TRYAGAIN, CLUSTERDOWN) before it fails. */
const MAX_REDIRECTIONS = 16

/**
 * One client per process. Commands fail fast instead of queueing while Redis is away, so a
 * request answers 503 in bounded time; ioredis keeps reconnecting in the background. With
 * sentinels, ioredis asks them for the primary and follows it through fail-overs; with a cluster,
 * it learns which master serves each slot and follows a replica's promotion.
 */
export function connectRedis (
  { url, sentinels, cluster = null, keyPrefix, commandTimeoutMs }: RedisOptions
): RedisClient {
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
  if (cluster !== null) return connectCluster(cluster.nodes, url, options)
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

/**
 * Reads and writes go to masters only (`scaleReads: 'master'`): a replica lags, and a revocation
 * or a spent code read from one could still look live.
 */
function connectCluster (
  nodes: Array<{ host: string, port: number }>,
  url: string | null,
  { keyPrefix, retryStrategy, enableOfflineQueue, ...perNode }: RedisClientOptions
): Cluster {
  const parsed = url === null ? null : new URL(url)
  return new Cluster(nodes, {
    keyPrefix,
    // Off on a cluster: ioredis (6.0) retries a MOVED reply in an automatic pipeline only when every
    // command in it got the very same error, so after a failover the commands for the moved slots,
    // batched with others, failed with MOVED, and the slot map was not refreshed, for seconds
    // (test/e2e/redis-cluster-failover.test.ts). One by one, each MOVED is followed.
    enableAutoPipelining: false,
    enableOfflineQueue,
    scaleReads: 'master',
    maxRedirections: MAX_REDIRECTIONS,
    clusterRetryStrategy: (attempt) => retryStrategy!(attempt),
    slotsRefreshTimeout: perNode.commandTimeout,
    redisOptions: {
      ...perNode,
      ...(parsed === null
        ? {}
        : {
            username: decodeURIComponent(parsed.username) || undefined,
            password: decodeURIComponent(parsed.password) || undefined,
            ...(parsed.protocol === 'rediss:' ? { tls: {} } : {})
          })
    }
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
 * A cluster stays ready when one node fails (the other masters' slots still answer) and says so
 * as `node error`: that node is failing until its connection is ready again, or the cluster's
 * slot map no longer lists it (its replica was promoted); the cluster is up when none is failing.
 */
export function observeRedis (client: RedisClient, observer: RedisObserver): void {
  let down = false
  const fail = (error: Error & { code?: unknown }) => {
    if (down) return
    down = true
    observer.down({ code: typeof error.code === 'string' ? error.code : error.name, message: error.message })
  }
  const failing = new Set<string>()
  const recover = () => {
    if (!down || failing.size > 0) return
    down = false
    observer.up()
  }
  client.on('error', fail)
  client.on('ready', () => {
    failing.clear()
    recover()
  })
  if (client instanceof Cluster) {
    const keyOf = (node: Redis) => `${node.options.host ?? ''}:${node.options.port ?? ''}`
    client.on('node error', (error: Error, key: string) => {
      failing.add(key)
      fail(error)
    })
    client.on('+node', (node: Redis) => {
      node.on('ready', () => {
        if (failing.delete(keyOf(node))) recover()
      })
    })
    client.on('refresh', () => {
      const listed = new Set(client.nodes('all').map(keyOf))
      for (const key of failing) if (!listed.has(key)) failing.delete(key)
      recover()
    })
  }
  const { command } = observer
  if (command === undefined) return
  // Every command, pipelined or not, passes here; a retried one passes again and is timed once.
  // A cluster's takes a third argument (the node), passed on as it came.
  const target = client as unknown as { sendCommand: (cmd: Command, ...rest: unknown[]) => unknown }
  const send = target.sendCommand.bind(client)
  target.sendCommand = (cmd, ...rest) => {
    if (!observed.has(cmd)) {
      observed.add(cmd)
      const started = performance.now()
      cmd.promise.then(
        () => { command(cmd.name, (performance.now() - started) / 1000, false) },
        () => { command(cmd.name, (performance.now() - started) / 1000, true) }
      )
    }
    return send(cmd, ...rest)
  }
}
