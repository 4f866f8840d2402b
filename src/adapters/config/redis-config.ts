import type { EnvReader } from './env-reader.js'

type Hosts = Array<{ host: string, port: number }>

/**
 * Where Redis is and how long a command may take: read here, by the service (load-config.ts) and
 * by the staff commands, which end console sessions there.
 */
export function readRedisConnection (read: EnvReader) {
  const given = read.url('REDIS_URL', ['redis:', 'rediss:'])
  const sentinels = readSentinels(read)
  const cluster = readCluster(read, given)
  if (cluster !== null && sentinels !== null) {
    read.fail('REDIS_CLUSTER_NODES', 'and REDIS_SENTINELS name two kinds of deployment: set one of them', null)
  }
  return {
    /**
     * Null with no sentinels and no cluster either: the in-memory stores, this process's alone.
     * With a cluster it is never null (the first seed's when REDIS_URL is unset), so every check of
     * "is Redis configured" holds for a cluster as well.
     */
    url: cluster === null || given !== null ? given : `redis://${hostPort(cluster.nodes[0]!)}`,
    sentinels,
    cluster,
    keyPrefix: read.string('REDIS_KEY_PREFIX', 'auth:'),
    commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 2000, { min: 50, max: 60000 })
  }
}

const hostPort = ({ host, port }: { host: string, port: number }) =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`

/**
 * `REDIS_SENTINELS="10.0.0.1:26379,10.0.0.2:26379"` with `REDIS_SENTINEL_NAME` (default
 * `mymaster`): the primary is found, and followed through fail-overs, by asking the sentinels.
 */
function readSentinels (read: EnvReader): { hosts: Hosts, name: string } | null {
  const value = read.raw('REDIS_SENTINELS')
  const name = read.string('REDIS_SENTINEL_NAME', 'mymaster')
  if (value === undefined) return null
  const hosts = parseHosts(value)
  if (hosts === null) {
    return read.fail(
      'REDIS_SENTINELS',
      'must be host:port entries separated by commas, such as 10.0.0.1:26379,10.0.0.2:26379',
      null
    )
  }
  return { hosts, name }
}

/**
 * `REDIS_CLUSTER_NODES="10.0.0.1:6379,10.0.0.2:6379"`: seeds of a Redis Cluster, from which the
 * client learns every node and follows fail-overs. Credentials and TLS come from REDIS_URL when it
 * is set (its user, password and `rediss:`; its host is not used), so a secret lives in one
 * variable whatever the deployment. A cluster has only database 0: a URL naming another is refused.
 */
function readCluster (read: EnvReader, url: string | null): { nodes: Hosts } | null {
  const value = read.raw('REDIS_CLUSTER_NODES')
  if (value === undefined) return null
  const nodes = parseHosts(value)
  if (nodes === null) {
    return read.fail(
      'REDIS_CLUSTER_NODES',
      'must be host:port entries separated by commas, such as 10.0.0.1:6379,10.0.0.2:6379',
      null
    )
  }
  if (url !== null && !/^\/?0?$/.test(new URL(url).pathname)) {
    return read.fail('REDIS_URL', 'must name no database (or 0) with REDIS_CLUSTER_NODES: a cluster has only 0', null)
  }
  return { nodes }
}

function parseHosts (value: string): Hosts | null {
  const hosts = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(entry)
    return match === null ? null : { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) }
  })
  if (hosts.length === 0 || hosts.some((host) => host === null || host.port < 1 || host.port > 65535)) return null
  return hosts as Hosts
}
