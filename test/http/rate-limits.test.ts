import t from 'tap'
import { buildTestApp } from '../helpers/build-test-app.js'
import { freshMobile } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

const LIMITS = { enabled: true, perAddress: { max: 5, windowSeconds: 60 }, perTarget: { max: 3, windowSeconds: 900 } }

t.test('per client address: the sixth request in a minute gets 429 in the door\'s format with Retry-After', async (t) => {
  const { app } = await buildTestApp(t, {}, {}, { rateLimits: LIMITS })
  const login = (ip: string) => app.inject({ method: 'POST', url: '/auth/login/json', remoteAddress: ip, payload: { email: `x${Math.random()}@example.com`, password: 'wrong-password' } })
  for (let i = 0; i < 5; i++) t.equal((await login('203.0.113.7')).statusCode, 401)
  const refused = await login('203.0.113.7')
  t.equal(refused.statusCode, 429)
  t.same(refused.json().detail?.code ?? refused.json().code, 'TOO_MANY_REQUESTS')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After in seconds')
  t.equal((await login('198.51.100.9')).statusCode, 401, 'another address is not affected')

  const api = await app.inject({ method: 'POST', url: '/api/sign-s3/', remoteAddress: '203.0.113.7', payload: { kind: 'avatar', content_type: 'image/jpeg' } })
  t.equal(api.statusCode, 200, 'limits count per route')
})

t.test('per target: one number typed two ways, from many addresses, shares one count', async (t) => {
  const { app } = await buildTestApp(t, {}, {}, { rateLimits: LIMITS })
  const national = freshMobile()
  const forms = [national, `+82${national.slice(1)}`, `${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`]
  const statuses = []
  for (let i = 0; i < 4; i++) {
    statuses.push((await app.inject({ method: 'POST', url: '/api/auth/mobile/', remoteAddress: `192.0.2.${i + 1}`, payload: { mobile: forms[i % 3] } })).statusCode)
  }
  t.same(statuses, [404, 404, 404, 429])
  const refused = await app.inject({ method: 'POST', url: '/api/auth/mobile/', remoteAddress: '192.0.2.99', payload: { mobile: national } })
  t.same(refused.json(), { detail: '요청이 너무 많습니다. 잠시 후 다시 시도해주세요.', code: 'throttled' })
})

t.test('X-Forwarded-For is believed only from a trusted proxy', async (t) => {
  const { app } = await buildTestApp(t, {}, {}, { rateLimits: LIMITS })
  const spoofed = async (i: number) => app.inject({ method: 'POST', url: '/auth/register', remoteAddress: '203.0.113.50', headers: { 'x-forwarded-for': `10.0.0.${i}` }, payload: { email: 'bad', password: 'x' } })
  const statuses = []
  for (let i = 0; i < 6; i++) statuses.push((await spoofed(i)).statusCode)
  t.equal(statuses[5], 429, 'a client cannot reset its count by inventing addresses')
})

t.test('allow-listed addresses are never limited', async (t) => {
  const { app } = await buildTestApp(t, {}, {}, { rateLimits: { ...LIMITS, allowList: ['127.0.0.9'] } })
  for (let i = 0; i < 8; i++) {
    t.equal((await app.inject({ method: 'POST', url: '/api/sign-s3/', remoteAddress: '127.0.0.9', payload: { kind: 'avatar', content_type: 'image/jpeg' } })).statusCode, 200)
  }
})

t.test('on Redis, two instances count together', { skip: noPg || noRedis }, async (t) => {
  const env = { RATE_LIMIT_ALLOWLIST: '', RATE_LIMIT_PER_ADDRESS: '4' }
  const first = await startServiceOnPostgresAndRedis(t, env)
  const second = await startServiceOnPostgresAndRedis(t, { ...env, DATABASE_URL: first.config.database.url!, REDIS_KEY_PREFIX: first.config.redis.keyPrefix })
  const statuses = []
  for (let i = 0; i < 6; i++) {
    const service = i % 2 === 0 ? first : second
    statuses.push((await service.call('POST', '/api/sign-s3/', { body: { kind: 'avatar', content_type: 'image/jpeg' } })).status)
  }
  t.same(statuses, [200, 200, 200, 200, 429, 429])
})
