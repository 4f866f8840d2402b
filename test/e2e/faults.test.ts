import t from 'tap'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'
import { startTcpProxy, type ProxyMode } from '../helpers/tcp-proxy.js'
import { registration } from '../helpers/phone-flows.js'

const SERVICE_UNAVAILABLE = {
  auth: {
    code: 'SERVICE_UNAVAILABLE',
    message: 'The service is temporarily unavailable. Please try again later.',
    detail: 'The service is temporarily unavailable. Please try again later.'
  },
  api: { detail: 'The service is temporarily unavailable. Please try again later.', code: 'service_unavailable' }
}
// Generous: far above the configured timeouts below, far below "hangs". Not a speed check.
const NO_HANG_MS = 8000

t.test(
  "PostgreSQL or Redis stopped or unreachable: 503 in the door's format, /ready 503, recovery by itself",
  { skip: noPg || noRedis },
  async t => {
    const database = await startTcpProxy(t, {
      host: '127.0.0.1',
      port: Number(new URL(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432').port || 5432)
    })
    const redis = await startTcpProxy(t, {
      host: '127.0.0.1',
      port: Number(new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379)
    })
    const { base, logs } = await startServiceOnPostgresAndRedis(
      t,
      {
        DATABASE_QUERY_TIMEOUT: '1s',
        DATABASE_CONNECT_TIMEOUT: '1',
        REDIS_COMMAND_TIMEOUT_MS: '500',
        // Limited as any client: the limiters themselves are under test.
        RATE_LIMIT_ALLOWLIST: ''
      },
      { via: { databasePort: database.port, redisPort: redis.port } }
    )

    /** A request that must answer, whatever the answer, before NO_HANG_MS. */
    async function call (method: string, path: string, { body, token }: { body?: unknown, token?: string } = {}) {
      const res = await fetch(base + path, {
        method,
        headers: {
          'accept-language': 'en',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` })
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(NO_HANG_MS)
      })
      const text = await res.text()
      return { status: res.status, body: text === '' ? null : JSON.parse(text) }
    }

    async function readyAgain (): Promise<boolean> {
      for (let i = 0; i < 60; i++) {
        if ((await call('GET', '/ready')).status === 200) return true
        await new Promise(resolve => setTimeout(resolve, 250))
      }
      return false
    }

    const email = `fault-${uniqueSuffix()}@example.com`
    const password = 'fault password 123'
    t.equal((await call('POST', '/auth/register', { body: { email, password } })).status, 200)
    const signup = await call('POST', '/api/registration/', { body: registration() })
    t.equal(signup.status, 201)
    let refreshToken = signup.body.refresh as string
    const token = (await call('POST', '/auth/login/json', { body: { email, password } })).body.access_token as string
    t.equal((await call('GET', '/auth/me', { token })).status, 200)

    const faults: Array<{ store: 'redis' | 'database', mode: ProxyMode }> = [
      { store: 'redis', mode: 'refuse' },
      { store: 'redis', mode: 'blackhole' },
      { store: 'database', mode: 'refuse' },
      { store: 'database', mode: 'blackhole' }
    ]
    for (const { store, mode } of faults) {
      t.test(`${store} ${mode === 'refuse' ? 'stopped' : 'unreachable (no answer)'}`, async t => {
        const proxy = store === 'redis' ? redis : database
        proxy.set(mode)
        t.teardown(() => proxy.set('pass'))

        const ready = await call('GET', '/ready')
        t.equal(ready.status, 503)
        t.equal(ready.body.checks[store], 'down')

        const me = await call('GET', '/auth/me', { token })
        if (store === 'redis') {
          t.equal(me.status, 503)
          t.same(me.body, SERVICE_UNAVAILABLE.auth)
        } else {
          t.equal(me.status, 200, '/auth/me needs only Redis (the account card is cached there)')
          t.equal(me.body.email, email)
        }
        const profile = await call('GET', '/api/users/me/', { token: signup.body.access })
        t.equal(profile.status, 503)
        t.same(profile.body, SERVICE_UNAVAILABLE.api)
        const refresh = await call('POST', '/api/token/refresh/', { body: { refresh: refreshToken } })
        if (store === 'redis') {
          t.equal(refresh.status, 503)
          t.same(refresh.body, SERVICE_UNAVAILABLE.api)
        } else {
          t.equal(refresh.status, 200, 'a refresh needs only Redis (the account card is cached there)')
          refreshToken = refresh.body.refresh
        }
        // Fail closed: a login whose guesses cannot be counted is not served (never unlimited).
        const login = await call('POST', '/auth/login/json', { body: { email, password } })
        t.equal(
          login.status,
          503,
          store === 'database' ? 'the login needs the user' : 'the login needs its abuse limits'
        )
        t.same(login.body, SERVICE_UNAVAILABLE.auth)
        const signS3 = await call('POST', '/api/sign-s3/', { body: { kind: 'avatar', content_type: 'image/jpeg' } })
        t.equal(
          signS3.status,
          store === 'redis' ? 503 : 200,
          store === 'redis' ? 'every limited route refuses without its counters' : 'sign-s3 needs no database'
        )
        // The catalogs are kept in each instance once read (they change only through admins, and a
        // change is announced through Redis): an outage of either store leaves them answering.
        t.equal(
          (await call('GET', '/api/interests/')).status,
          200,
          store === 'database'
            ? "the catalogs answer from the instance's copy"
            : 'routes that need only PostgreSQL go on'
        )

        proxy.set('pass')
        t.ok(await readyAgain(), '/ready says 200 again once the store is back')
        t.equal((await call('GET', '/auth/me', { token })).status, 200, 'and the routes work again, with no restart')
      })
    }

    t.test('both stores stopped at once', async t => {
      database.set('refuse')
      redis.set('refuse')
      t.teardown(() => {
        database.set('pass')
        redis.set('pass')
      })
      const ready = await call('GET', '/ready')
      t.same([ready.status, ready.body.checks], [503, { database: 'down', redis: 'down' }])
      t.same((await call('GET', '/auth/me', { token })).body, SERVICE_UNAVAILABLE.auth)
      t.same(
        (await call('POST', '/api/token/refresh/', { body: { refresh: refreshToken } })).body,
        SERVICE_UNAVAILABLE.api
      )
      t.same((await call('POST', '/auth/login/json', { body: { email, password } })).body, SERVICE_UNAVAILABLE.auth)
      t.same((await call('POST', '/api/registration/', { body: registration() })).body, SERVICE_UNAVAILABLE.api)
      database.set('pass')
      redis.set('pass')
      t.ok(await readyAgain(), 'both back, with no restart')
      t.equal((await call('POST', '/auth/login/json', { body: { email, password } })).status, 200)
    })

    t.test('no failure leaked a secret or a stack into the log', async t => {
      t.notMatch(logs.text, password)
      t.notMatch(logs.text, token)
    })
  }
)
