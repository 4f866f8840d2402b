import postgres from 'postgres'
import t from 'tap'
import { fromShortUuid } from '../../src/domain/short-uuid.js'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { launchBrowser, noBrowser } from '../helpers/console-browser.js'
import { freePort } from '../helpers/free-port.js'
import { admin, registration } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'
import { addVirtualAuthenticator } from '../helpers/virtual-authenticator.js'

// Issue 27's passkey story through the real service's routes: a member adds a passkey made by
// Chromium's virtual authenticator, signs in with it at both doors, removes it, and is refused.
// The page is one of the service's own (http://localhost is a secure context), so the origin the
// authenticator signs is the one WEBAUTHN_ORIGINS names.
//
// Not here: a registration more than 10 minutes after signing in (403 reauthentication_required).
// The service composed as main.ts composes it runs on the system clock, which this test cannot
// move; the rule is covered by the use-case tests on a manual clock.

t.test('a passkey added, used at both doors, removed and refused, in Chromium', {
  skip: noPg || noRedis || noBrowser
}, async (t) => {
  // The origin is part of the configuration, so the port is chosen before the service starts.
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const { call, config } = await startServiceOnPostgresAndRedis(t, {
    ADMIN_API_KEY: ADMIN_KEY,
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_RP_NAME: 'Passkey e2e',
    WEBAUTHN_ORIGINS: origin
  }, { port })
  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  t.equal((await page.goto(`${origin}/health`))?.status(), 200, 'a page of the service\'s origin')
  const authenticator = await addVirtualAuthenticator(page)

  const signup = await call('POST', '/api/registration/', { body: registration() })
  t.equal(signup.status, 201)
  const uuid: string = signup.body.user.uuid
  const token: string = signup.body.access
  t.equal((await call('POST', `/admin/users/${uuid}/approve`, { headers: admin })).status, 200)

  let passkeyId = ''
  t.test('registration: options, the authenticator creates, the service keeps the passkey', async (t) => {
    const options = await call('POST', '/auth/passkeys/registration/options', { token })
    t.equal(options.status, 200)
    t.match(options.body, { rp: { id: 'localhost', name: 'Passkey e2e' }, challenge: String })
    const credential = await authenticator.register(options.body)
    const registered = await call('POST', '/auth/passkeys/registration', { token, body: { credential, name: 'Pixel' } })
    t.equal(registered.status, 200)
    t.equal(registered.body.passkeys.length, 1)
    passkeyId = registered.body.passkeys[0].id
    t.equal(passkeyId, credential.id, 'kept under the credential id the authenticator made')
    const [held] = await authenticator.credentials()
    t.equal(held?.credentialId, passkeyId, 'and the authenticator holds it, resident')
    // What the device gives back at sign-in, checked against the passkey's member there.
    const handle = Buffer.from(held?.userHandle ?? '', 'base64url').toString()
    t.equal(handle, fromShortUuid(uuid), 'the member\'s id as the user handle')

    const listed = await call('GET', '/auth/passkeys', { token })
    t.equal(listed.status, 200)
    t.match(listed.body.passkeys, [{
      id: passkeyId,
      name: 'Pixel',
      device_type: 'singleDevice',
      backed_up: false,
      created_at: String,
      last_used_at: null
    }])

    const again = await call('POST', '/auth/passkeys/registration', { token, body: { credential } })
    t.equal(again.status, 401, 'the same attestation again: its challenge was taken')
    t.equal(again.body.code, 'PASSKEY_REFUSED', 'in the email door\'s format')
  })

  t.test('sign-in at the phone door, then the email door; a replayed assertion is refused', async (t) => {
    const options = await call('POST', '/api/passkeys/sign-in/options/')
    t.equal(options.status, 200)
    t.equal(options.body.rpId, 'localhost')
    const credential = await authenticator.authenticate(options.body)
    t.equal(credential.id, passkeyId, 'the authenticator offered the member\'s passkey')
    const phone = await call('POST', '/api/passkeys/sign-in/', { body: { credential } })
    t.equal(phone.status, 200)
    t.equal(phone.body.user.uuid, uuid, 'the member the passkey belongs to')
    t.match(phone.body, { access: String, refresh: String })
    const me = await call('GET', '/api/users/me/', { token: phone.body.access })
    t.equal(me.body.uuid, uuid, 'the access token is the member\'s')

    const replayed = await call('POST', '/api/passkeys/sign-in/', { body: { credential } })
    t.equal(replayed.status, 401, 'the same assertion again')
    t.equal(replayed.body.code, 'passkey_refused')

    const emailOptions = await call('POST', '/auth/passkeys/sign-in/options')
    t.equal(emailOptions.status, 200)
    const emailCredential = await authenticator.authenticate(emailOptions.body)
    const email = await call('POST', '/auth/passkeys/sign-in', { body: { credential: emailCredential } })
    t.equal(email.status, 200)
    t.equal(email.body.token_type, 'bearer')
    const emailMe = await call('GET', '/auth/me', { token: email.body.access_token })
    t.equal(emailMe.status, 200)
    const replayedAtEmail = await call('POST', '/auth/passkeys/sign-in', { body: { credential: emailCredential } })
    t.equal(replayedAtEmail.status, 401)
    t.equal(replayedAtEmail.body.code, 'PASSKEY_REFUSED')

    const [listed] = (await call('GET', '/auth/passkeys', { token })).body.passkeys
    t.type(listed?.last_used_at, 'string', 'the passkey was used')
    t.ok(Date.parse(listed.last_used_at) >= Date.parse(listed.created_at))
  })

  t.test('removed: 200, then the authenticator\'s next assertion is refused', async (t) => {
    const removed = await call('DELETE', `/auth/passkeys/${passkeyId}`, { token })
    t.equal(removed.status, 200)
    t.same((await call('GET', '/auth/passkeys', { token })).body.passkeys, [])
    t.equal((await call('DELETE', `/auth/passkeys/${passkeyId}`, { token })).status, 404, 'gone')

    const options = await call('POST', '/api/passkeys/sign-in/options/')
    const credential = await authenticator.authenticate(options.body)
    t.equal(credential.id, passkeyId, 'the device still offers it')
    const refused = await call('POST', '/api/passkeys/sign-in/', { body: { credential } })
    t.equal(refused.status, 401)
    t.equal(refused.body.code, 'passkey_refused')
  })

  t.test('the trail has the passkey added and removed, by the member', async (t) => {
    const sql = postgres(config.database.url!, { max: 1, onnotice: () => {} })
    t.teardown(() => sql.end({ timeout: 2 }))
    const rows = await sql<Array<{ action: string, actor_kind: string, actor_member_id: string }>>`
      select action, actor_kind, actor_member_id from audit_events
      where member_id = ${fromShortUuid(uuid)!} and action like 'member.passkey_%'
      order by at, id`
    t.same(rows.map(row => row.action), ['member.passkey_added', 'member.passkey_removed'])
    t.ok(rows.every(row => row.actor_kind === 'member' && row.actor_member_id === fromShortUuid(uuid)))
  })
})
