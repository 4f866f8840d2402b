import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { createAdapters } from '../../src/adapters/create-adapters.js'
import { connectRedis } from '../../src/adapters/redis/redis-client.js'
import {
  checkRedisConfig,
  type RedisConfigReader,
  type RedisConfigWarning
} from '../../src/adapters/redis/redis-config-check.js'
import { freePort } from '../helpers/free-port.js'
import {
  TEST_REDIS_URL,
  createTestDatabase,
  createTestRedis,
  createTestRedisPrefix,
  noPg,
  noRedis
} from '../helpers/services.js'

/** Runs the check and answers every line it logged. */
async function check (
  client: RedisConfigReader,
  timeoutMs = 1000
): Promise<Array<{ fields: RedisConfigWarning, message: string }>> {
  const lines: Array<{ fields: RedisConfigWarning, message: string }> = []
  await checkRedisConfig(
    client,
    (fields, message) => {
      lines.push({ fields, message })
    },
    { timeoutMs }
  )
  return lines
}

/** A server that answers CONFIG GET from a table, as a RESP2 pair (or nothing for an unknown name). */
const server = (settings: Record<string, string>): RedisConfigReader => ({
  config: async (_subcommand, name) => name in settings ? [name, settings[name]] : []
})

const unknownCommand = () =>
  Object.assign(new Error("ERR unknown command 'config', with args beginning with: 'GET' 'maxmemory-policy'"), {
    name: 'ReplyError'
  })

t.test(
  'the test Redis (started with --save "" --appendonly no): one redis.config_risk line with what it found',
  { skip: noRedis },
  async t => {
    // A client with a key prefix, as the service's: CONFIG takes no key, so the prefix changes nothing.
    const redis = createTestRedis(t)
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[]
    const [, save] = (await redis.config('GET', 'save')) as string[]
    if (appendonly === 'yes' || save !== '') {
      t.comment(`this Redis persists (appendonly ${appendonly}, save "${save}"): no persistence warning expected`)
      t.notOk(
        (await check(redis)).some(
          line => line.fields.event === 'redis.config_risk' && line.fields.risks.includes('no_persistence')
        )
      )
      return
    }
    const lines = await check(redis)
    t.equal(lines.length, 1, 'one line')
    t.match(lines[0]?.fields, { event: 'redis.config_risk', appendonly: 'no', save: '', maxmemoryPolicy: String })
    t.ok(lines[0]?.fields.event === 'redis.config_risk' && lines[0].fields.risks.includes('no_persistence'))
    t.match(lines[0]?.message, /neither AOF .* nor RDB .* are on: a Redis restart empties it/)
    t.notMatch(lines[0]?.fields, { unchecked: Array }, 'every setting was read')
  }
)

t.test('an eviction policy other than noeviction is a risk; volatile-* named as evicting keys with a TTL', async t => {
  const lru = await check(server({ 'maxmemory-policy': 'allkeys-lru', appendonly: 'yes', save: '' }))
  t.same(
    lru.map(line => line.fields),
    [{ event: 'redis.config_risk', maxmemoryPolicy: 'allkeys-lru', appendonly: 'yes', save: '', risks: ['eviction'] }]
  )
  t.match(
    lru[0]?.message,
    new RegExp(
      'maxmemory-policy is allkeys-lru: .*revocations, refresh rotations, code tries and rate-limit counters' +
        '.*set noeviction'
    )
  )

  const volatile = await check(server({ 'maxmemory-policy': 'volatile-lru', appendonly: 'no', save: '' }))
  t.same(
    volatile[0]?.fields,
    {
      event: 'redis.config_risk',
      maxmemoryPolicy: 'volatile-lru',
      appendonly: 'no',
      save: '',
      risks: ['eviction', 'no_persistence']
    },
    'both risks in one line'
  )
  t.match(volatile[0]?.message, /TTL/)
  t.equal(volatile.length, 1)
})

t.test(
  'the wrapped test Redis with an allkeys-lru answer: the eviction warning beside what the server says',
  { skip: noRedis },
  async t => {
    const redis = createTestRedis(t)
    const wrapped: RedisConfigReader = {
      config: async (subcommand, name) =>
        name === 'maxmemory-policy' ? ['maxmemory-policy', 'allkeys-lru'] : await redis.config(subcommand, name)
    }
    const lines = await check(wrapped)
    t.equal(lines.length, 1)
    t.match(lines[0]?.fields, {
      event: 'redis.config_risk',
      maxmemoryPolicy: 'allkeys-lru',
      appendonly: String,
      save: String
    })
    t.ok(lines[0]?.fields.event === 'redis.config_risk' && lines[0].fields.risks.includes('eviction'))
  }
)

t.test('noeviction with AOF, or with RDB snapshots only: nothing to say', async (t) => {
  t.same(await check(server({ 'maxmemory-policy': 'noeviction', appendonly: 'yes', save: '' })), [])
  t.same(
    await check(server({ 'maxmemory-policy': 'noeviction', appendonly: 'no', save: '3600 1 300 100 60 10000' })),
    []
  )
  // A RESP3 client answers a map instead of a pair.
  t.same(
    await check({
      config: async (_subcommand, name) => ({
        [name]: name === 'maxmemory-policy' ? 'noeviction' : name === 'appendonly' ? 'yes' : ''
      })
    }),
    []
  )
})

t.test('CONFIG refused (managed services): one redis.config_unchecked warning, no throw', async (t) => {
  const lines = await check({ config: async () => { throw unknownCommand() } })
  t.same(
    lines.map(line => line.fields),
    [
      {
        event: 'redis.config_unchecked',
        unchecked: ['maxmemoryPolicy', 'appendonly', 'save'],
        cause: { code: 'ERR', message: unknownCommand().message }
      }
    ]
  )
  t.match(lines[0]?.message, /could not be checked/)

  const noPermission = await check({
    config: async () => {
      throw new Error("NOPERM User auth has no permissions to run the 'config|get' command")
    }
  })
  t.match(noPermission[0]?.fields, { event: 'redis.config_unchecked', cause: { code: 'NOPERM' } })
})

t.test('partly readable: what was read still warns, with what was not', async (t) => {
  // The policy refused, persistence readable and off: the persistence risk, the policy unchecked.
  const lines = await check({
    config: async (_subcommand, name) => {
      if (name === 'maxmemory-policy') throw unknownCommand()
      return [name, name === 'appendonly' ? 'no' : '']
    }
  })
  t.same(
    lines.map(line => line.fields),
    [
      {
        event: 'redis.config_risk',
        appendonly: 'no',
        save: '',
        risks: ['no_persistence'],
        unchecked: ['maxmemoryPolicy'],
        cause: { code: 'ERR', message: unknownCommand().message }
      }
    ]
  )
  // Nothing risky read, but persistence unknown: unchecked, naming what is missing.
  const unknown = await check(server({ 'maxmemory-policy': 'noeviction', appendonly: 'no' }))
  t.same(
    unknown.map(line => line.fields),
    [
      {
        event: 'redis.config_unchecked',
        maxmemoryPolicy: 'noeviction',
        appendonly: 'no',
        unchecked: ['save'],
        cause: { code: 'ENOTREPORTED', message: 'save not reported' }
      }
    ]
  )
})

t.test('a server that never answers: one unchecked warning after the timeout, not later', async (t) => {
  // The check's timer does not hold the process open (a service has its server for that): this test does.
  const hold = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(hold) })
  const started = performance.now()
  const lines = await check({ config: () => new Promise(() => {}) }, 200)
  const elapsed = performance.now() - started
  t.ok(elapsed >= 190 && elapsed < 1000, `gave up after ${Math.round(elapsed)} ms`)
  t.same(
    lines.map(line => line.fields),
    [
      {
        event: 'redis.config_unchecked',
        unchecked: ['maxmemoryPolicy', 'appendonly', 'save'],
        cause: { code: 'ETIMEDOUT', message: 'no answer within 200 ms' }
      }
    ]
  )
})

t.test('Redis unreachable: the check resolves with a warning and logs no password', async (t) => {
  const port = await freePort()
  const client = connectRedis({
    url: `redis://:hunter2-secret@127.0.0.1:${port}/0`,
    sentinels: null,
    keyPrefix: 'test:',
    commandTimeoutMs: 300
  })
  client.on('error', () => {}) // the service's observeRedis listens; here nothing is to be said
  t.teardown(() => { client.disconnect() })
  const started = performance.now()
  const lines = await check(client, 300)
  t.ok(performance.now() - started < 2000, 'bounded by the timeout')
  t.equal(lines.length, 1)
  t.match(lines[0]?.fields, {
    event: 'redis.config_unchecked',
    unchecked: ['maxmemoryPolicy', 'appendonly', 'save'],
    cause: { code: String, message: String }
  })
  t.notMatch(JSON.stringify(lines) + lines[0]?.message, /hunter2/, 'no password in the line')
})

t.test('a logger that throws does not make the check throw', async (t) => {
  await t.resolves(
    checkRedisConfig(
      server({ 'maxmemory-policy': 'allkeys-lru', appendonly: 'no', save: '' }),
      () => {
        throw new Error('log sink closed')
      },
      { timeoutMs: 100 }
    )
  )
  await t.resolves(
    checkRedisConfig(
      {
        config: () => {
          throw new Error('synchronous failure')
        }
      },
      () => {},
      { timeoutMs: 100 }
    )
  )
})

t.test(
  'createAdapters on PostgreSQL + the test Redis: the warning is a JSON line of the service log',
  { skip: noPg || noRedis },
  async t => {
    const config = loadConfig({
      DATABASE_URL: await createTestDatabase(t),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: createTestRedisPrefix(t),
      DATA_DIR: t.testdir()
    })
    let output = ''
    const logger = pino(
      { level: 'info' },
      new Writable({
        write (chunk: Buffer, _encoding, done) {
          output += chunk.toString()
          done()
        }
      })
    )
    const adapters = await createAdapters(config, { logger, metrics: null, origin: () => 'http://127.0.0.1' })
    t.teardown(() => adapters.close())
    for (let i = 0; i < 40 && !output.includes('"event":"redis.config_'); i++) {
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    const lines = output
      .split('\n')
      .filter(line => line.includes('"event":"redis.config_'))
      .map(line => JSON.parse(line) as Record<string, unknown>)
    t.equal(lines.length, 1, 'one line')
    t.match(lines[0], { level: 40, event: /^redis\.config_(risk|unchecked)$/, msg: /docs\/operations\.md/ })
  }
)
