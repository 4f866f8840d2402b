/** What the check needs of a client: `CONFIG GET`, one parameter at a time (Redis 6 takes only one). */
export interface RedisConfigReader {
  config (subcommand: 'GET', parameter: string): Promise<unknown>
}

/** The parameters read, by their Redis names; the log line carries each under its camelCase name. */
const PARAMETERS = { maxmemoryPolicy: 'maxmemory-policy', appendonly: 'appendonly', save: 'save' } as const
type Field = keyof typeof PARAMETERS
type Found = Partial<Record<Field, string>>

export type RedisConfigWarning =
  | (Found & {
    event: 'redis.config_risk'
    risks: Array<'eviction' | 'no_persistence'>
    unchecked?: Field[]
    cause?: { code: string, message: string }
  })
  | (Found & { event: 'redis.config_unchecked', unchecked: Field[], cause: { code: string, message: string } })

/**
 * Reads what it can of the server's eviction policy and persistence, and warns once when Redis could
 * lose security state: revoked tokens, refresh rotations, code tries, rate-limit counters. Almost every
 * key here has a TTL, so a `volatile-*` policy can evict them as readily as an `allkeys-*` one; and a
 * server without AOF or RDB comes back empty after a restart, tokens logged out one at a time
 * working again.
 * Managed services often refuse CONFIG: that is one warning saying the settings could not be checked.
 * A cluster client sends CONFIG GET to one master, whose settings stand for the others': a cluster's
 * nodes are set up alike, and reading each would mean a round trip per node for advice.
 * Never throws and never waits longer than `timeoutMs`; nothing it logs holds a URL or a credential.
 */
export async function checkRedisConfig (
  client: RedisConfigReader,
  warn: (fields: RedisConfigWarning, message: string) => void,
  { timeoutMs }: { timeoutMs: number }
): Promise<void> {
  try {
    const { found, cause } = await readParameters(client, timeoutMs)
    const warning = judge(found, cause)
    if (warning !== null) warn(...warning)
  } catch {
    // A logger that throws must not fail start-up: the check is advice, never a gate.
  }
}

async function readParameters (
  client: RedisConfigReader,
  timeoutMs: number
): Promise<{ found: Found, cause: { code: string, message: string } | null }> {
  const found: Found = {}
  let cause: { code: string, message: string } | null = null
  // Sent in the same tick, so an auto-pipelining client makes one round trip of the three.
  const reads = (Object.keys(PARAMETERS) as Field[]).map(async field => {
    try {
      found[field] = valueOf(await client.config('GET', PARAMETERS[field]), PARAMETERS[field])
    } catch (error) {
      cause ??= causeOf(error)
    }
  })
  let timer: NodeJS.Timeout | undefined
  const timedOut = await Promise.race([
    Promise.all(reads).then(() => false),
    new Promise<boolean>(resolve => {
      timer = setTimeout(() => {
        resolve(true)
      }, timeoutMs)
      timer.unref()
    })
  ])
  clearTimeout(timer)
  if (timedOut) cause ??= { code: 'ETIMEDOUT', message: `no answer within ${timeoutMs} ms` }
  // A copy: a read that lands after the timeout changes nothing already judged.
  return { found: { ...found }, cause }
}

/** A CONFIG GET reply: `[name, value]` (RESP2) or `{ name: value }` (RESP3). */
function valueOf (reply: unknown, name: string): string {
  if (Array.isArray(reply)) {
    const at = reply.findIndex((item) => String(item) === name)
    if (at >= 0 && at + 1 < reply.length) return String(reply[at + 1])
  } else if (reply !== null && typeof reply === 'object' && name in reply) {
    return String((reply as Record<string, unknown>)[name])
  }
  throw Object.assign(new Error(`${name} not reported`), { code: 'ENOTREPORTED' })
}

function causeOf (error: unknown): { code: string, message: string } {
  const { code, name, message } = error as { code?: unknown, name?: unknown, message?: unknown }
  const text = typeof message === 'string' ? message : String(error)
  // A Redis error reply has no code property; its first word is the code (ERR, NOPERM, ...).
  const word = /^[A-Z]+(?=\s)/.exec(text)?.[0]
  return {
    code: typeof code === 'string' ? code : (word ?? (typeof name === 'string' ? name : 'Error')),
    message: text.slice(0, 200)
  }
}

function judge (found: Found, cause: { code: string, message: string } | null): [RedisConfigWarning, string] | null {
  const { maxmemoryPolicy: policy, appendonly, save } = found
  const evictionKnown = policy !== undefined
  // Either kind of persistence settles it; "off" needs both answers.
  const persisted = appendonly === 'yes' || (save !== undefined && save.trim() !== '')
  const persistenceKnown = persisted || (appendonly !== undefined && save !== undefined)
  const unchecked = [
    ...(evictionKnown ? [] : ['maxmemoryPolicy' as const]),
    ...(persistenceKnown ? [] : (['appendonly', 'save'] as const).filter((field) => found[field] === undefined))
  ]

  const risks: Array<'eviction' | 'no_persistence'> = []
  const sentences: string[] = []
  if (evictionKnown && policy !== 'noeviction') {
    risks.push('eviction')
    sentences.push(
      `maxmemory-policy is ${policy}: when memory fills, Redis may evict revocations, refresh rotations, code tries ` +
        'and rate-limit counters' +
        (policy.startsWith('volatile-')
          ? ' (nearly every key here has a TTL, so volatile-* policies evict them too)'
          : '') +
        '; set noeviction'
    )
  }
  if (persistenceKnown && !persisted) {
    risks.push('no_persistence')
    sentences.push(
      'neither AOF (appendonly) nor RDB snapshots (save) are on: a Redis restart empties it, and tokens logged out ' +
        'one at a time and rotated-out refresh tokens work again'
    )
  }
  if (risks.length > 0) {
    const more = unchecked.length > 0 ? { unchecked, ...(cause === null ? {} : { cause }) } : {}
    return [
      { event: 'redis.config_risk', ...found, risks, ...more },
      `Redis could lose security state: ${sentences.join('; ')} (see docs/operations.md)`
    ]
  }
  if (unchecked.length > 0) {
    return [
      {
        event: 'redis.config_unchecked',
        ...found,
        unchecked,
        cause: cause ?? { code: 'ENOTREPORTED', message: 'not reported' }
      },
      'Redis eviction policy and persistence could not be checked (CONFIG refused, as most managed services do, or ' +
        'no answer): make sure of maxmemory-policy noeviction and AOF or RDB (see docs/operations.md)'
    ]
  }
  return null
}
