import type { EnvReader } from './env-reader.js'

/**
 * Where Redis is and how long a command may take: read here, by the service (load-config.ts) and
 * by the staff commands, which end console sessions there.
 */
export function readRedisConnection (read: EnvReader) {
  return {
    /** Null with no sentinels either: the in-memory stores, this process's alone. */
    url: read.url('REDIS_URL', ['redis:', 'rediss:']),
    sentinels: readSentinels(read),
    keyPrefix: read.string('REDIS_KEY_PREFIX', 'auth:'),
    commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 2000, { min: 50, max: 60000 })
  }
}

/**
 * `REDIS_SENTINELS="10.0.0.1:26379,10.0.0.2:26379"` with `REDIS_SENTINEL_NAME` (default
 * `mymaster`): the primary is found, and followed through fail-overs, by asking the sentinels.
 */
function readSentinels (read: EnvReader): { hosts: Array<{ host: string, port: number }>, name: string } | null {
  const value = read.raw('REDIS_SENTINELS')
  const name = read.string('REDIS_SENTINEL_NAME', 'mymaster')
  if (value === undefined) return null
  const hosts = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(entry)
    return match === null ? null : { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) }
  })
  if (hosts.length === 0 || hosts.some((host) => host === null || host.port < 1 || host.port > 65535)) {
    return read.fail(
      'REDIS_SENTINELS',
      'must be host:port entries separated by commas, such as 10.0.0.1:26379,10.0.0.2:26379',
      null
    )
  }
  return { hosts: hosts as Array<{ host: string, port: number }>, name }
}
