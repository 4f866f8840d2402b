import { setTimeout as sleep } from 'node:timers/promises'
import type { Cluster } from 'ioredis'
import t from 'tap'
import { connectRedis } from '../../src/adapters/redis/redis-client.js'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { noRedisCluster, startRedisCluster } from '../helpers/redis-cluster.js'
import { noPg, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// The service on PostgreSQL and a Redis Cluster of three masters and three replicas: tokens ended
// before a master dies stay refused after its replica takes over, and sign-ins go on.
t.test('the service on a Redis Cluster through a master failover', { skip: noPg || noRedisCluster }, async (t) => {
  const cluster = await startRedisCluster(t)
  const prefix = `test:${uniqueSuffix()}:`
  // start-service also sets REDIS_URL (the single test server): with a cluster only its
  // credentials would count, and it has none.
  const { call, logs } = await startServiceOnPostgresAndRedis(t, {
    REDIS_CLUSTER_NODES: cluster.nodesVariable,
    REDIS_KEY_PREFIX: prefix,
    ADMIN_API_KEY: ADMIN_KEY
  })
  const codeSentTo = (e164: string): string => {
    const line = logs.lines.map(text => JSON.parse(text))
      .findLast(entry => entry.msg === 'sms.sent' && entry.to === e164)
    return /\d{6}/.exec(line?.text ?? '')?.[0] ?? ''
  }
  // The test's own view of the cluster, to find and kill the master that holds the revocations.
  const view = connectRedis({
    url: null, sentinels: null, cluster: { nodes: cluster.seeds }, keyPrefix: '', commandTimeoutMs: 2000
  }) as Cluster
  t.teardown(() => { view.disconnect() })

  // The email door: signed in, logged out (its access token revoked).
  const email = `member-${uniqueSuffix()}@example.com`
  const password = 'correct horse battery'
  t.equal((await call('POST', '/auth/register', { body: { email, password } })).status, 200)
  const loggedOut = (await call('POST', '/auth/login/json', { body: { email, password } })).body.access_token as string
  t.equal((await call('GET', '/auth/me', { token: loggedOut })).status, 200)
  t.equal((await call('POST', '/auth/logout', { token: loggedOut })).status, 200)
  t.equal((await call('GET', '/auth/me', { token: loggedOut })).status, 401, 'refused once logged out')

  // The phone door: a refresh token ended by logout.
  const body = registration()
  const e164 = '+82' + body.mobile.slice(1)
  const signup = await call('POST', '/api/registration/', { body })
  t.equal(signup.status, 201)
  t.equal((await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
  t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
  const session = await call('POST', '/api/token/', { body: { mobile: e164, token: codeSentTo(e164) } })
  t.equal(session.status, 200)
  t.equal((await call('POST', '/api/logout/', { body: { refresh: session.body.refresh } })).status, 200)
  t.equal((await call('POST', '/api/token/refresh/', { body: { refresh: session.body.refresh } })).status, 401)

  // The master holding a revocation dies once its replica has every write (replication is
  // asynchronous: a write the replica never got is what persistence, not failover, answers for).
  let victim: string | undefined
  for (const node of view.nodes('master')) {
    await node.call('wait', '1', '5000')
    victim ??= (await node.keys(`${prefix}revoked:*`))[0]
  }
  if (victim === undefined) throw new Error('no revocation key on any master')
  await cluster.killMaster(victim)

  // The service's client learns the new master when a command to the dead one fails: until then a
  // request on its slots answers 503 (fail closed), which a client retries. Bounded by the attempts.
  let unavailable = 0
  const settled = async (...args: Parameters<typeof call>) => {
    let answer = await call(...args)
    for (let attempt = 0; answer.status === 503 && attempt < 50; attempt++) {
      unavailable++
      await sleep(100)
      answer = await call(...args)
    }
    return answer
  }
  t.equal((await settled('GET', '/auth/me', { token: loggedOut })).status, 401, 'the logged-out token stays refused')
  t.equal(
    (await settled('POST', '/api/token/refresh/', { body: { refresh: session.body.refresh } })).status,
    401,
    'the logged-out refresh token stays refused'
  )
  const login = await settled('POST', '/auth/login/json', { body: { email, password } })
  t.equal(login.status, 200, 'sign-in works again after the promotion')
  const fresh = login.body.access_token as string
  t.equal((await settled('GET', '/auth/me', { token: fresh })).status, 200)
  t.equal((await settled('POST', '/auth/logout', { token: fresh })).status, 200, 'logout works')
  t.equal((await settled('GET', '/auth/me', { token: fresh })).status, 401)
  t.comment(`${unavailable} answers 503 while the client learned the new master`)
  // The start-up check read a cluster node's settings (this cluster keeps no persistence) instead of failing.
  const check = logs.lines.map(text => JSON.parse(text)).find(entry => entry.event?.startsWith('redis.config_'))
  t.match(check, { event: 'redis.config_risk', appendonly: 'no', risks: ['no_persistence'] })
})
