import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import postgres from 'postgres'
import t from 'tap'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { createTestDatabase, noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// The restore drill of docs/operations.md, as an operator runs it: pg_dump -Fc of a live service's
// database, pg_restore into a fresh database, the service started on it with an empty Redis (a new
// key prefix). It must serve the same members (their tokens and passwords work), refuse the same
// ended tokens (from the revocations and refresh families in PostgreSQL, not from Redis), and hold
// the same audit trail.

const run = promisify(execFile)

type Call = Awaited<ReturnType<typeof startServiceOnPostgresAndRedis>>['call']

/** The claims of a token, read without checking it (the service checks; the drill only needs ids). */
const claimsOf = (token: string): { jti: string, fam?: string } =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string, fam?: string }

t.test('restore drill: pg_dump of a live database, pg_restore into a new one, the service on it', {
  skip: noPg || noRedis
}, async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'restore-drill-'))
  t.teardown(() => rm(work, { recursive: true, force: true }))
  const sourceUrl = await createTestDatabase(t)
  const settings = { ADMIN_API_KEY: ADMIN_KEY }
  const live = await startServiceOnPostgresAndRedis(t, { ...settings, DATABASE_URL: sourceUrl })

  /** The code the embedded SMS sender wrote to this service's log for a number. */
  const codeSentTo = (service: typeof live, e164: string): string => {
    const line = service.logs.lines
      .map(text => JSON.parse(text) as { msg?: string, to?: string, text?: string })
      .findLast(entry => entry.msg === 'sms.sent' && entry.to === e164)
    return /\d{6}/.exec(line?.text ?? '')?.[0] ?? ''
  }
  async function phoneSignIn (service: typeof live, mobile: string) {
    const e164 = '+82' + mobile.slice(1)
    t.equal((await service.call('POST', '/api/auth/mobile/', { body: { mobile } })).status, 200, 'a code is sent')
    const session = await service.call('POST', '/api/token/', { body: { mobile, token: codeSentTo(service, e164) } })
    t.equal(session.status, 200, 'the code signs the member in')
    return session.body as { access: string, refresh: string, user: { uuid: string } }
  }
  async function phoneMember (call: Call) {
    const body = registration()
    const signup = await call('POST', '/api/registration/', { body })
    t.equal(signup.status, 201, 'a phone member signs up')
    t.equal((await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })).status, 200)
    return { mobile: body.mobile as string, uuid: signup.body.user.uuid as string }
  }

  // ---- Members, sessions, a logout and audit entries on the live service --------------------
  const email = `drill-${uniqueSuffix()}@example.com`
  const password = 'restore drill password 1'
  t.equal((await live.call('POST', '/auth/register', { body: { email, password } })).status, 200)
  const signIn = async (service: typeof live) =>
    service.call('POST', '/auth/login/json', { body: { email, password } })
  const kept = (await signIn(live)).body.access_token as string
  const ended = (await signIn(live)).body.access_token as string
  t.equal((await live.call('POST', '/auth/logout', { token: ended })).status, 200, 'one email session signs out')
  t.equal((await live.call('GET', '/auth/me', { token: ended })).status, 401, 'its token is refused')
  const emailId = (await live.call('GET', '/auth/me', { token: kept })).body.uuid as string

  const rider = await phoneMember(live.call)
  const first = await phoneSignIn(live, rider.mobile)
  const rotated = await live.call('POST', '/api/token/refresh/', { body: { refresh: first.refresh } })
  t.equal(rotated.status, 200, 'the phone session refreshes once: its first refresh token is rotated out')
  const current = rotated.body as { access: string, refresh: string }

  const leaver = await phoneMember(live.call)
  const leaving = await phoneSignIn(live, leaver.mobile)
  t.equal((await live.call('POST', '/api/logout/', { body: { refresh: leaving.refresh } })).status, 200)

  // Rotations reach PostgreSQL behind Redis (at most a second late): the drill's dump is taken
  // once this family's newest rotation is there, as docs/operations.md says a backup holds it.
  const source = postgres(sourceUrl, { max: 1, onnotice: () => {} })
  t.teardown(() => source.end({ timeout: 2 }))
  const { fam, jti } = claimsOf(current.refresh)
  t.ok(fam !== undefined, 'a phone refresh token names its family')
  for (;;) {
    const [row] = await source<Array<{ current_jti: string }>>`
      select current_jti from refresh_families where family = ${fam!}`
    if (row?.current_jti === jti) break
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const trail = await source<Array<{ id: string, action: string }>>`select id, action from audit_events order by id`
  t.ok(
    ['member.signed_up', 'member.signed_in'].every(action => trail.some(entry => entry.action === action)),
    `the audit trail has sign-ups and sign-ins (${trail.length} entries)`
  )
  const approvals = trail.filter(entry => entry.action !== 'member.signed_up' && entry.action !== 'member.signed_in')
  t.ok(approvals.length > 0, 'and the admin API\'s approvals')

  // ---- Back up the live database, restore it into a fresh one --------------------------------
  const dump = join(work, 'auth.dump')
  await run('pg_dump', ['--format=custom', '--file', dump, '--dbname', sourceUrl])
  const restoredUrl = await createTestDatabase(t)
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', restoredUrl, dump])

  // A new Redis prefix: nothing of the live service's Redis state reaches the restored one.
  const restored = await startServiceOnPostgresAndRedis(t, { ...settings, DATABASE_URL: restoredUrl })
  t.not(restored.config.redis.keyPrefix, live.config.redis.keyPrefix, 'an empty Redis (another prefix)')

  t.test('the same members: their tokens and passwords work', async (t) => {
    const me = await restored.call('GET', '/auth/me', { token: kept })
    t.equal(me.status, 200, 'the email member\'s kept token')
    t.equal(me.body.uuid, emailId, 'names the same member')
    t.equal((await signIn(restored)).status, 200, 'the email member\'s password')
    const phoneMe = await restored.call('GET', '/api/users/me/', { token: current.access })
    t.equal(phoneMe.status, 200, 'the phone member\'s access token')
    t.equal(phoneMe.body.uuid, rider.uuid, 'names the same member')
    const refreshed = await restored.call('POST', '/api/token/refresh/', { body: { refresh: current.refresh } })
    t.equal(refreshed.status, 200, 'the phone member\'s current refresh token')
    const again = await phoneSignIn(restored, leaver.mobile)
    t.equal(again.user.uuid, leaver.uuid, 'a phone member signs in again with a new code')
  })

  t.test('the same ended tokens are refused', async (t) => {
    t.equal((await restored.call('GET', '/auth/me', { token: ended })).status, 401, 'the signed-out email token')
    const leftRefresh = await restored.call('POST', '/api/token/refresh/', { body: { refresh: leaving.refresh } })
    t.equal(leftRefresh.status, 401, 'the refresh token of the phone session that logged out')
    const spent = await restored.call('POST', '/api/token/refresh/', { body: { refresh: first.refresh } })
    t.equal(spent.status, 401, 'a refresh token rotated out before the backup')
  })

  t.test('the same audit trail', async (t) => {
    const copy = postgres(restoredUrl, { max: 1, onnotice: () => {} })
    t.teardown(() => copy.end({ timeout: 2 }))
    const ids = new Set(trail.map(entry => entry.id))
    const restoredTrail = await copy<Array<{ id: string, action: string }>>`
      select id, action from audit_events order by id`
    t.same(
      restoredTrail.filter(entry => ids.has(entry.id)),
      [...trail],
      'every entry of the live database, with its action'
    )
    const [migrations] = await copy<Array<{ applied: number }>>`
      select count(*)::int as applied from drizzle.__drizzle_migrations`
    const [sourceMigrations] = await source<Array<{ applied: number }>>`
      select count(*)::int as applied from drizzle.__drizzle_migrations`
    t.equal(migrations!.applied, sourceMigrations!.applied, 'the migration history came along: nothing re-applied')
  })
})
