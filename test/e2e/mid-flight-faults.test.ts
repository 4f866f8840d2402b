import postgres from 'postgres'
import t from 'tap'
import type { RevocationStore } from '../../src/application/ports/shared-state/revocation-store.js'
import { createRedisRevocationStore } from '../../src/adapters/redis/redis-revocation-store.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { ServiceUnavailableError } from '../../src/domain/errors.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { approvedMember, registration } from '../helpers/phone-flows.js'
import { createTestRedis, noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// Faults in the middle of a write: the store did its part, or half of it, and the client saw an
// error. Nothing may be left half-written, and the client's plain retry must work.

/** The store records the rotation, then its answer is lost once (a reply timed out after the write). */
function losingFirstRotationReply (store: RevocationStore): RevocationStore & { lost: number } {
  const wrapped = Object.create(store) as RevocationStore & { lost: number }
  wrapped.lost = 0
  wrapped.claimRotation = async (...args) => {
    const kept = await store.claimRotation(...args)
    if (wrapped.lost++ === 0) throw new ServiceUnavailableError('redis unavailable (reply lost)')
    return kept
  }
  return wrapped
}

t.test(
  'a refresh whose rotation was recorded but whose answer was lost: the retry gets the pair',
  { skip: noRedis },
  async t => {
    const revocations = losingFirstRotationReply(createRedisRevocationStore(createTestRedis(t), systemClock))
    const { app } = await buildTestApp(t, { revocations })
    const member = await approvedMember(app)
    const refresh = () =>
      app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: member.refresh } })

    const failed = await refresh()
    t.equal(failed.statusCode, 503)
    t.same(failed.json(), {
      detail: '일시적으로 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해주세요.',
      code: 'service_unavailable'
    })
    const retried = await refresh()
    t.equal(retried.statusCode, 200, 'the retry within the grace window is answered, not taken for a stolen token')
    const again = await refresh()
    t.same(again.json(), retried.json(), 'the one recorded successor, byte for byte')
    t.equal(
      (
        await app.inject({
          method: 'GET',
          url: '/api/users/me/',
          headers: { authorization: `Bearer ${retried.json().access}` }
        })
      ).statusCode,
      200
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: retried.json().refresh } }))
        .statusCode,
      200,
      'and the family goes on'
    )
  }
)

t.test(
  'a sign-up that fails inside its transaction leaves nothing behind, and the retry signs up',
  { skip: noPg || noRedis },
  async t => {
    const service = await startServiceOnPostgresAndRedis(t)
    const sql = postgres(service.config.database.url!, { max: 1, onnotice: () => {} })
    t.teardown(() => sql.end({ timeout: 2 }))
    // The connection drops (SQLSTATE 08006) after the user row is written, at the member's first
    // interest: once only, counted by a sequence, which no rollback undoes.
    await sql.unsafe(`
    create sequence fault_once;
    create function fail_first_interest() returns trigger language plpgsql as $$
    begin
      if nextval('fault_once') = 1 then raise exception 'connection lost' using errcode = '08006'; end if;
      return new;
    end $$;
    create trigger fail_first_interest before insert on user_interests
      for each row execute function fail_first_interest();
  `)

    const body = registration()
    const failed = await service.call('POST', '/api/registration/', { body })
    t.equal(failed.status, 503)
    t.equal(failed.body.code, 'service_unavailable')
    const [left] = await sql`select
    (select count(*)::int from users where username = ${body.username as string}) as users,
    (select count(*)::int from users where mobile = ${'+82' + (body.mobile as string).slice(1)}) as numbers,
    (select count(*)::int from user_interests) as interests`
    t.same(left, { users: 0, numbers: 0, interests: 0 }, 'nothing half-written')

    const retried = await service.call('POST', '/api/registration/', { body })
    t.equal(retried.status, 201, 'the same body signs up on retry: no username, number or file taken by the failed try')
    t.equal(retried.body.user.username, body.username)
    const [after] = await sql`select count(*)::int as interests from user_interests`
    t.equal(after?.interests, (body.interests as unknown[]).length)
  }
)
