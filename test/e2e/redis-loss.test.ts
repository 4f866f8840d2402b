import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import t from 'tap'
import type { Test } from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { freePort } from '../helpers/free-port.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { createTestDatabase, noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { spawnService, type SpawnedService } from '../helpers/spawn-service.js'
import { startTestSmtpServer } from '../helpers/test-smtp-server.js'

// Redis losing its data, as a restart without persistence or a failover to an empty replica
// does: a Redis server of this test's own (FLUSHALL on the shared one would empty every other
// suite's keys too), two service processes on it and one PostgreSQL database.
const PASSWORD = 'a member password 1'
const MAIL_FROM = 'Mobile Auth <no-reply@auth.example.net>'

async function privateRedis (t: Test): Promise<{ url: string, client: Redis }> {
  const port = await freePort()
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' }
  )
  t.teardown(() => { server.kill('SIGKILL') })
  const url = `redis://127.0.0.1:${port}`
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 })
  t.teardown(() => client.disconnect())
  for (let i = 0; ; i++) {
    try {
      await client.connect()
      await client.ping()
      return { url, client }
    } catch (error) {
      if (i > 100) throw error
      await sleep(50)
    }
  }
}

t.test(
  'every ended token stays refused after Redis loses its data; every live member goes on',
  { skip: noPg || noRedis },
  async t => {
    t.setTimeout(300_000)
    const redis = await privateRedis(t)
    const smtp = await startTestSmtpServer(t)
    const env = {
      DATABASE_URL: await createTestDatabase(t),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'auth:',
      JWT_SECRET: 'redis-loss-secret-redis-loss-secret-0123',
      ADMIN_API_KEY: ADMIN_KEY,
      SMTP_URL: smtp.url,
      MAIL_FROM,
      RATE_LIMIT_ALLOWLIST: '127.0.0.1,::1,::ffff:127.0.0.1'
    }
    const [a, b] = (await Promise.all([spawnService(t, env), spawnService(t, env)])) as [SpawnedService, SpawnedService]
    const instances = [a, b]

    const codeTextedTo = async (e164: string): Promise<string> => {
      for (let i = 0; i < 100; i++) {
        for (const instance of instances) {
          const line = instance
            .output()
            .split('\n')
            .filter(text => text.startsWith('{'))
            .map(text => JSON.parse(text))
            .findLast(entry => entry.msg === 'sms.sent' && entry.to === e164)
          if (line !== undefined) return /\d{6}/.exec(line.text)?.[0] ?? ''
        }
        await sleep(50)
      }
      throw new Error(`no code texted to ${e164}`)
    }
    const codeMailedTo = async (email: string, since: number): Promise<string> => {
      for (let i = 0; i < 200; i++) {
        const mail = smtp.received.slice(since).find(received => received.envelope.to.includes(email))
        if (mail !== undefined) return /^(\d{6})$/m.exec(mail.parsed.text ?? '')?.[1] ?? ''
        await sleep(50)
      }
      throw new Error(`no mail reached ${email}`)
    }
    const emailMember = async () => {
      const email = `loss-${uniqueSuffix()}@example.com`
      t.equal((await a.call('POST', '/auth/register', { body: { email, password: PASSWORD } })).status, 200)
      const login = async (instance = a) =>
        (await instance.call('POST', '/auth/login/json', { body: { email, password: PASSWORD } })).body
          .access_token as string
      return { email, login }
    }
    const phoneMember = async () => {
      const body = registration()
      const signup = await a.call('POST', '/api/registration/', { body })
      t.equal(signup.status, 201)
      t.equal((await b.call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
      const e164 = '+82' + body.mobile.slice(1)
      const signIn = async () => {
        t.equal((await a.call('POST', '/api/auth/mobile/', { body: { mobile: body.mobile } })).status, 200)
        const pair = await b.call('POST', '/api/token/', {
          body: { mobile: body.mobile, token: await codeTextedTo(e164) }
        })
        t.equal(pair.status, 200)
        return pair.body as { access: string, refresh: string }
      }
      return { uuid: signup.body.user.uuid as string, signIn }
    }
    const me = (token: string, instance: SpawnedService) => instance.call('GET', '/auth/me', { token })
    const refresh = (token: string, instance: SpawnedService) =>
      instance.call('POST', '/api/token/refresh/', { body: { refresh: token } })

    // Ended, each the way a member or staff ends it:
    const loggedOut = await emailMember()
    const loggedOutToken = await loggedOut.login()
    t.equal((await a.call('POST', '/auth/logout', { token: loggedOutToken })).status, 200, 'email-door logout')

    const everywhere = await emailMember()
    const [first, second] = [await everywhere.login(), await everywhere.login(b)]
    t.equal((await b.call('POST', '/auth/logout?scope=all', { token: second })).status, 200, 'sign-out everywhere')

    const deleted = await emailMember()
    const deletedToken = await deleted.login()
    t.equal((await a.call('DELETE', '/auth/me', { token: deletedToken })).status, 200, 'account deleted')

    const twoSessions = await emailMember()
    const [kept, ended] = [await twoSessions.login(), await twoSessions.login(b)]
    const sessions = await a.call('GET', '/auth/sessions', { token: kept })
    const endedId = sessions.body.sessions.find((session: { current: boolean }) => !session.current).id as string
    t.equal((await a.call('DELETE', `/auth/sessions/${endedId}`, { token: kept })).status, 200, 'one session ended')

    const reset = await emailMember()
    const beforeReset = await reset.login()
    const since = smtp.received.length
    t.equal((await a.call('POST', '/auth/password/forgot', { body: { email: reset.email } })).status, 202)
    t.equal(
      (
        await b.call('POST', '/auth/password/reset', {
          body: { email: reset.email, code: await codeMailedTo(reset.email, since), new_password: 'a new password 123' }
        })
      ).status,
      200,
      'password reset'
    )

    const phoneLoggedOut = await phoneMember()
    const phonePair = await phoneLoggedOut.signIn()
    const rotatedOnce = await refresh(phonePair.refresh, b)
    t.equal(rotatedOnce.status, 200)
    t.equal(
      (await a.call('POST', '/api/logout/', { body: { refresh: rotatedOnce.body.refresh } })).status,
      200,
      'phone-door logout'
    )

    const rejected = await phoneMember()
    const rejectedPair = await rejected.signIn()
    t.equal(
      (await a.call('POST', `/admin/users/${rejected.uuid}/reject`, { headers: admin, body: { reason: 'test' } }))
        .status,
      200,
      'rejected by staff'
    )

    // Live, and must go on:
    const liveEmail = await emailMember()
    const liveToken = await liveEmail.login()
    const livePhone = await phoneMember()
    const livePair = await livePhone.signIn()
    const rotating = await phoneMember()
    const rotatedOut = await rotating.signIn()
    const current = (await refresh(rotatedOut.refresh, a)).body as { access: string, refresh: string }

    await sleep(1500) // past the write-behind of rotations (1 s)
    t.equal(await redis.client.flushall(), 'OK', 'Redis loses everything')

    /** The answer once the instance has rebuilt its token state (503 meanwhile: fail closed). */
    const settled = async (ask: () => Promise<{ status: number, body: any }>) => {
      for (let i = 0; ; i++) {
        const answer = await ask()
        if (answer.status !== 503 || i > 200) return answer
        await sleep(50)
      }
    }
    for (const instance of instances) {
      const label = instance === a ? 'instance a' : 'instance b'
      t.equal((await settled(() => me(loggedOutToken, instance))).status, 401, `${label}: the logged-out email token`)
      t.equal((await settled(() => me(first, instance))).status, 401, `${label}: a token signed out everywhere`)
      t.equal((await settled(() => me(deletedToken, instance))).status, 401, `${label}: the deleted member's token`)
      t.equal((await settled(() => me(ended, instance))).status, 401, `${label}: the ended session's token`)
      t.equal((await settled(() => me(beforeReset, instance))).status, 401, `${label}: a token from before the reset`)
      t.equal(
        (await settled(() => refresh(rotatedOnce.body.refresh, instance))).status,
        401,
        `${label}: the logged-out phone refresh token`
      )
      t.not(
        (await settled(() => refresh(rejectedPair.refresh, instance))).status,
        200,
        `${label}: the rejected member's refresh token`
      )
      t.equal((await settled(() => me(kept, instance))).status, 200, `${label}: the session that was kept`)
      t.equal((await settled(() => me(liveToken, instance))).status, 200, `${label}: a live email member`)
      t.equal(
        (await settled(() => me(livePair.access, instance))).status,
        200,
        `${label}: a live phone member's access token`
      )
    }
    t.equal((await settled(() => me(second, a))).status, 401, 'the token the sign-out everywhere came from too')
    const goesOn = await settled(() => refresh(livePair.refresh, b))
    t.equal(goesOn.status, 200, 'a live phone member refreshes')
    t.equal((await settled(() => refresh(goesOn.body.refresh, a))).status, 200, 'and again, on the other instance')
    t.equal(
      (await settled(() => refresh(current.refresh, b))).status,
      200,
      "the rotated member's current refresh token goes on"
    )
    t.equal(
      (await settled(() => refresh(rotatedOut.refresh, a))).status,
      401,
      'a refresh token rotated out before the loss stays refused'
    )
    const signIn = await settled(() =>
      a.call('POST', '/auth/login/json', { body: { email: reset.email, password: 'a new password 123' } })
    )
    t.equal(
      (await settled(() => me(signIn.body.access_token, b))).status,
      200,
      'the reset member signs in with the new password'
    )
  }
)
