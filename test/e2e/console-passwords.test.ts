import { Redis } from 'ioredis'
import t from 'tap'
import type { TestPorts } from '../helpers/build-test-app.js'
import { connectPostgres } from '../../src/adapters/drizzle/database.js'
import { createDrizzleStaffRepository } from '../../src/adapters/drizzle/drizzle-staff-repository.js'
import { createArgon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.js'
import { createRedisStaffSessionStore } from '../../src/adapters/redis/redis-staff-session-store.js'
import { createOtpauthTotpAuthenticator } from '../../src/adapters/system/otpauth-totp-authenticator.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { STAFF_SESSION_SETTINGS } from '../../src/application/staff/staff-session-settings.js'
import type { StaffRole } from '../../src/domain/staff.js'
import { cookieOf, form, hiddenField, signInStaff, totpCode, withCookie } from '../helpers/console-flows.js'
import { TEST_REDIS_URL, noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

const STEP_MS = 30_000

t.test(
  'an admin resets a password on PostgreSQL + Redis: the sessions in Redis end, the column holds must-change',
  { skip: noPg || noRedis },
  async t => {
    const { app, config } = await startServiceOnPostgresAndRedis(t)
    // The service's own database and Redis prefix, reached beside it as an operator's tool would.
    const database = connectPostgres({ url: config.database.url!, poolSize: 2, connectTimeoutSeconds: 5 })
    t.teardown(() => database.close())
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: config.redis.keyPrefix })
    t.teardown(() => redis.quit())
    const staff = createDrizzleStaffRepository(database.db, randomIds)
    const sessions = createRedisStaffSessionStore(redis, { clock: systemClock, settings: STAFF_SESSION_SETTINGS })
    const hasher = await createArgon2PasswordHasher(config.argon2)
    const totp = createOtpauthTotpAuthenticator()
    const add = async (role: StaffRole) => {
      const password = `staff password ${uniqueSuffix()}`
      const secret = totp.newSecret()
      const member = await staff.create({
        email: `${role}-${uniqueSuffix()}@staff.test`,
        passwordHash: await hasher.hash(password),
        role,
        totpSecret: secret,
        createdAt: new Date()
      })
      return { id: member.id, email: member.email, password, secret }
    }
    const admin = await add('admin')
    const reviewer = await add('reviewer')
    // signInStaff reads only the clock; here it is the wall clock the service's TOTP check reads too.
    const ports = { clock: systemClock } as unknown as TestPorts
    // A reviewer's code is good once, and only a later step after it: their two codes are this step's
    // and the next one's, both within the check's one step of drift for the next half minute and more.
    const base = Date.now()

    const adminSession = await signInStaff(app, ports, admin)
    t.ok(adminSession.cookie !== null && adminSession.csrf !== null, 'the admin is signed in')
    // The reviewer's session, straight into the service's Redis (their codes are kept for later).
    const reviewing = await sessions.create({
      staffId: reviewer.id,
      stage: 'signed_in',
      address: null,
      userAgent: null
    })
    t.equal(
      (await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: `console=${reviewing}` } }))
        .statusCode,
      200,
      "the reviewer's session works"
    )

    const reset = await app.inject({
      method: 'POST',
      url: `/console/staff/${reviewer.id}/reset-password`,
      ...withCookie(form({ _csrf: adminSession.csrf! }), adminSession.cookie!)
    })
    t.equal(reset.statusCode, 200)
    const oneTime = /<code>([A-Za-z0-9_-]{24})<\/code>/.exec(reset.body)?.[1]
    t.ok(oneTime, 'the one-time password is shown')
    t.equal(await sessions.get(reviewing), null, 'the session in Redis is gone')
    const stored = await staff.findById(reviewer.id)
    t.equal(stored?.mustChangePassword, true, 'the column says must change')
    t.ok(await hasher.verify(stored!.passwordHash, oneTime!), 'and the hash is the one-time password')

    const firstCode = totpCode(reviewer.secret, new Date(base))
    const temporary = await signInStaff(app, ports, { ...reviewer, password: oneTime! }, firstCode)
    const cookie = temporary.cookie!
    const queue = await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie } })
    t.equal(queue.headers.location, '/console/password', 'the one-time password opens only the change page')
    const page = await app.inject({ method: 'GET', url: '/console/password', headers: { cookie } })
    const changed = await app.inject({
      method: 'POST',
      url: '/console/password',
      ...withCookie(
        form({
          _csrf: hiddenField(page.body, '_csrf')!,
          current: oneTime!,
          next: 'the reviewer chose this one',
          repeat: 'the reviewer chose this one',
          code: totpCode(reviewer.secret, new Date(base + STEP_MS))
        }),
        cookie
      )
    })
    t.equal(changed.statusCode, 303, changed.body.slice(-400))
    const fresh = cookieOf(changed.headers['set-cookie'], 'console')!
    t.equal((await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie: fresh } })).statusCode, 200)
    t.equal((await staff.findById(reviewer.id))?.mustChangePassword, false, 'the column is cleared')
    t.equal(
      (await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie } })).statusCode,
      303,
      'the session that changed it was replaced'
    )
  }
)
