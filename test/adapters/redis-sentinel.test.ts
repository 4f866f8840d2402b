import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import t from 'tap'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { connectRedis } from '../../src/adapters/redis/redis-client.js'
import { createRedisRevocationStore } from '../../src/adapters/redis/redis-revocation-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { TEST_REDIS_URL, createTestRedisPrefix, noRedis } from '../helpers/services.js'
import { freePort } from '../helpers/free-port.js'

t.test('REDIS_SENTINELS: the client asks a sentinel for the primary and works on it', { skip: noRedis }, async (t) => {
  // Only the database TEST_REDIS_URL names (db 0 when it names none), and only this test's keys in
  // it: the sentinel gives the primary's address, REDIS_URL the database and credentials, as in
  // production, and the prefix's teardown deletes what the test wrote.
  const redisAddress = new URL(TEST_REDIS_URL)
  const db = redisAddress.pathname.length > 1 ? Number(redisAddress.pathname.slice(1)) : 0
  const user = decodeURIComponent(redisAddress.username)
  const password = decodeURIComponent(redisAddress.password)
  const dir = await mkdtemp(join(tmpdir(), 'auth-sentinel-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const port = await freePort()
  // A sentinel is redis-server in sentinel mode; it needs a config file it may rewrite.
  await writeFile(join(dir, 'sentinel.conf'), [
    `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
    `sentinel monitor primary-for-test ${redisAddress.hostname} ${redisAddress.port || 6379} 1`,
    ...(user === '' ? [] : [`sentinel auth-user primary-for-test ${user}`]),
    ...(password === '' ? [] : [`sentinel auth-pass primary-for-test ${password}`])
  ].join('\n') + '\n')
  const sentinel = spawn('redis-server', [join(dir, 'sentinel.conf'), '--sentinel'], { stdio: 'ignore' })
  t.teardown(() => { sentinel.kill('SIGKILL') })
  await new Promise<void>((resolve, reject) => {
    sentinel.once('error', reject) // no redis-server binary: fails under CI and outside it alike
    sentinel.once('spawn', resolve)
  })

  const config = loadConfig({
    REDIS_SENTINELS: `127.0.0.1:${port}`,
    REDIS_SENTINEL_NAME: 'primary-for-test',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: createTestRedisPrefix(t)
  })
  t.same(config.redis.sentinels, { hosts: [{ host: '127.0.0.1', port }], name: 'primary-for-test' })
  let client: ReturnType<typeof connectRedis> | undefined
  for (let attempt = 0; attempt < 50 && client === undefined; attempt++) {
    const candidate = connectRedis(config.redis)
    try {
      await candidate.ping()
      client = candidate
    } catch {
      candidate.disconnect()
      await new Promise((resolve) => setTimeout(resolve, 100)) // the sentinel is still starting
    }
  }
  if (client === undefined) throw new Error('no primary through the sentinel')
  t.teardown(() => client!.disconnect())
  t.equal((client as Redis).options.db ?? 0, db, `the client works on database ${db}, the one TEST_REDIS_URL names`)

  const store = createRedisRevocationStore(client, systemClock)
  t.equal(await store.revoke('through-sentinel', new Date(Date.now() + 60_000)), true)
  const direct = new Redis(TEST_REDIS_URL)
  t.teardown(() => direct.quit())
  t.equal(await direct.exists(`${config.redis.keyPrefix}revoked:through-sentinel`), 1,
    `the key is on the primary the sentinel named, in database ${db}`)
})

t.test('REDIS_SENTINELS is checked like every setting', async (t) => {
  t.throws(() => loadConfig({ REDIS_SENTINELS: 'nohost' }), /REDIS_SENTINELS must be host:port/)
  t.throws(() => loadConfig({ REDIS_SENTINELS: 'a:70000' }), /REDIS_SENTINELS/)
  t.same(loadConfig({ REDIS_SENTINELS: 'a:26379, [::1]:26380' }).redis.sentinels, {
    hosts: [
      { host: 'a', port: 26379 },
      { host: '::1', port: 26380 }
    ],
    name: 'mymaster'
  })
  t.doesNotThrow(
    () =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/auth',
        REDIS_SENTINELS: 'a:26379',
        JWT_SECRET: 'A__omDxvkT8t513weT9Pt9ADvIW8_F0g',
        TWILIO_ACCOUNT_SID: 'AC1',
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '+15550000000',
        S3_BUCKET: 'b',
        SMTP_URL: 'smtps://smtp.mail.net',
        MAIL_FROM: 'no-reply@auth.mail.net'
      }),
    'sentinels stand in for REDIS_URL in production'
  )
})
