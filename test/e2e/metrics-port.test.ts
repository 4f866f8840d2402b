import t from 'tap'
import { registration } from '../helpers/phone-flows.js'
import { sample } from '../helpers/prometheus.js'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'
import { freePort } from '../helpers/free-port.js'

t.test(
  'METRICS_PORT: /metrics on its own port with the pool and Redis series; the API port has none',
  { skip: noPg || noRedis },
  async t => {
    const metricsPort = await freePort()
    const { call, app } = await startServiceOnPostgresAndRedis(t, {
      METRICS_PORT: String(metricsPort),
      DATABASE_POOL_SIZE: '7',
      DATABASE_SLOW_POOL_SIZE: '3',
      HOST: '127.0.0.1'
    })
    const scrape = async (path = '/metrics') => fetch(`http://127.0.0.1:${metricsPort}${path}`)

    const email = `metrics-${uniqueSuffix()}@example.com`
    t.equal((await call('POST', '/auth/register', { body: { email, password: 'metrics password 1' } })).status, 200)
    const login = await call('POST', '/auth/login/json', { body: { email, password: 'metrics password 1' } })
    t.equal((await call('GET', '/auth/me', { token: login.body.access_token })).status, 200)
    t.equal((await call('POST', '/api/registration/', { body: registration() })).status, 201)

    t.equal((await call('GET', '/metrics')).status, 404, 'the API port serves no metrics')
    t.equal((await scrape('/other')).status, 404, 'the metrics port serves nothing else')
    const res = await scrape()
    t.equal(res.status, 200)
    t.match(res.headers.get('content-type'), /^text\/plain/)
    const text = await res.text()
    t.equal(sample(text, 'db_pool_size', { pool: 'primary' }), 7)
    t.equal(sample(text, 'db_pool_size', { pool: 'slow' }), 3, 'the slow reads\' pool, apart')
    for (const pool of ['primary', 'slow']) {
      t.equal(sample(text, 'db_pool_connections_in_use', { pool }), 0, `${pool}: nothing in flight between requests`)
      t.equal(sample(text, 'db_pool_waiting', { pool }), 0)
    }
    t.ok(
      (sample(text, 'redis_command_duration_seconds_count', { command: 'exists' }) ?? 0) >= 1,
      'Redis commands are timed by name (the revocation check of /auth/me)'
    )
    t.ok(
      (sample(text, 'http_requests_total', { method: 'GET', route: '/auth/me', status_code: '200' }) ?? 0) >= 1,
      'requests of the API port are counted'
    )
    t.equal(sample(text, 'redis_command_errors_total', { command: 'get' }), null, 'no Redis failures')
    t.equal(sample(text, 'auth_dependency_up', { dependency: 'database' }), 1, 'PostgreSQL answered at this scrape')
    t.equal(sample(text, 'auth_dependency_up', { dependency: 'redis' }), 1, 'Redis answered at this scrape')

    await app.close()
    await t.rejects(scrape(), 'the metrics port closes with the service')
  }
)
