import { inspect } from 'node:util'
import { decodeProtectedHeader } from 'jose'
import t, { type Test } from 'tap'
import {
  APPLE_AUDIENCE,
  CLIENT_SECRET_LIFE_SECONDS,
  CLIENT_SECRET_RENEW_BEFORE_SECONDS,
  createAppleTokens
} from '../../src/adapters/apple/apple-tokens.js'
import type { Clock } from '../../src/application/ports/system/clock.js'
import { ProviderUnavailableError } from '../../src/domain/errors.js'
import { appClientId, appleTokensContract } from '../contracts/apple-tokens.contract.js'
import { type AppleStandIn, generateAppleKey, startAppleStandIn } from '../helpers/apple-stand-in.js'
import { freePort } from '../helpers/free-port.js'
import { ManualClock } from '../helpers/manual-clock.js'

const TEAM_ID = 'A1B2C3D4E5'
const KEY_ID = 'K9L8M7N6P5'
// Short, so a hang ends soon; a local stand-in answers well within it.
const TIMEOUT_MS = 1000

const key = await generateAppleKey()
const otherKey = await generateAppleKey()
/** The base64 of the PEM: what a leak of the key would show, line breaks aside. */
const keyBody = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')

t.test('apple (the adapter against a local stand-in of appleid.apple.com)', (t) => {
  appleTokensContract(t, async (t) => {
    const clock = new ManualClock(Date.now())
    const standIn = await startStandIn(t, clock)
    return {
      tokens: await apple(standIn, clock),
      issueCode: clientId => standIn.issueCode(clientId),
      revoked: () => standIn.revoked,
      setDown: down => standIn.setDown(down),
      hang: () => standIn.setHang(true),
      misconfigured: async how => apple(standIn, clock, {
        privateKey: how === 'another key' ? otherKey.privateKey : key.privateKey,
        keyId: how === 'another key id' ? 'Z9Y8X7W6V5' : KEY_ID,
        teamId: how === 'another team' ? 'Q1W2E3R4T5' : TEAM_ID
      }),
      secrets: () => [keyBody(key.privateKey), keyBody(otherKey.privateKey), ...standIn.clientSecrets()]
    }
  })
  t.end()
})

t.test('the client secret: ES256 under the key id, from the team, about the app, for Apple', async (t) => {
  const clock = new ManualClock()
  const standIn = await startStandIn(t, clock)
  const clientId = appClientId()
  await (await apple(standIn, clock)).exchange(standIn.issueCode(clientId), clientId)
  const [secret] = standIn.clientSecrets()
  t.same(decodeProtectedHeader(secret!), { alg: 'ES256', kid: KEY_ID })
  const now = Math.floor(clock.now().getTime() / 1000)
  t.same(standIn.claimsOf(secret!), {
    iss: TEAM_ID,
    iat: now,
    exp: now + CLIENT_SECRET_LIFE_SECONDS,
    // Apple's own address, though the request went to the stand-in's.
    aud: APPLE_AUDIENCE,
    sub: clientId
  })
  t.ok(CLIENT_SECRET_LIFE_SECONDS <= 15_777_000, 'within the six months Apple allows')
})

t.test('the client secret is reused within its life, renewed before it ends, and one per app', async (t) => {
  const clock = new ManualClock()
  const standIn = await startStandIn(t, clock)
  const tokens = await apple(standIn, clock)
  const clientId = appClientId()
  const exchange = async (app = clientId) => t.type(await tokens.exchange(standIn.issueCode(app), app), 'string')
  const renewAfterMs = (CLIENT_SECRET_LIFE_SECONDS - CLIENT_SECRET_RENEW_BEFORE_SECONDS) * 1000

  await exchange()
  clock.advance(renewAfterMs - 1000)
  await exchange()
  let [first, second] = standIn.clientSecrets()
  t.equal(second, first, 'reused until five minutes before it expires')

  const otherApp = appClientId()
  await exchange(otherApp)
  t.equal(standIn.claimsOf(standIn.clientSecrets()[2]!).sub, otherApp, 'another app has a secret of its own')

  clock.advance(1000)
  await exchange()
  ;[first, , , second] = standIn.clientSecrets()
  t.not(second, first, 'renewed five minutes before it expires')
  t.equal(standIn.claimsOf(second!).iat, Math.floor(clock.now().getTime() / 1000))

  clock.advance(CLIENT_SECRET_LIFE_SECONDS * 1000 * 5)
  await exchange()
  await tokens.revoke((await tokens.exchange(standIn.issueCode(clientId), clientId))!, clientId)
  t.equal(standIn.revoked.length, 1, 'hours later, still accepted: a fresh secret, never an expired one')
})

t.test('the requests are the form fields Apple documents, the token sent as a refresh token', async (t) => {
  const standIn = await startStandIn(t)
  const tokens = await apple(standIn)
  const clientId = appClientId()
  const code = standIn.issueCode(clientId)
  const token = await tokens.exchange(code, clientId)
  await tokens.revoke(token!, clientId)
  const [exchange, revoke] = standIn.requests
  const secret = (form: Record<string, string>) => form.client_secret
  t.same(exchange, {
    path: '/auth/token',
    form: { client_id: clientId, client_secret: secret(exchange!.form), code, grant_type: 'authorization_code' }
  })
  t.same(revoke, {
    path: '/auth/revoke',
    form: { client_id: clientId, client_secret: secret(revoke!.form), token, token_type_hint: 'refresh_token' }
  })
})

t.test('every failure says what failed and nothing secret', async (t) => {
  const standIn = await startStandIn(t)
  const tokens = await apple(standIn)
  const clientId = appClientId()
  const token = (await tokens.exchange(standIn.issueCode(clientId), clientId))!
  const exchange = () => tokens.exchange(standIn.issueCode(clientId), clientId)

  standIn.setDown(true)
  t.equal(await message(exchange()), 'apple answered /auth/token with 503 and something other than JSON')
  t.equal(
    await message(tokens.revoke(token, clientId)),
    'apple answered /auth/revoke with 503 and something other than JSON'
  )
  standIn.setDown(false)

  standIn.answerNext(400, JSON.stringify({ error: 'invalid_request' }))
  t.equal(await message(exchange()), 'apple answered /auth/token with 400 invalid_request', 'not taken for a bad code')
  standIn.answerNext(400, JSON.stringify({ error: 'invalid_grant' }))
  t.equal(await message(tokens.revoke(token, clientId)), 'apple answered /auth/revoke with 400 invalid_grant')
  standIn.answerNext(500, JSON.stringify({ error: `echoes ${token}` }))
  t.equal(await message(exchange()), 'apple answered /auth/token with 500', "an error Apple's form does not fit")
  standIn.answerNext(200, '<html>maintenance</html>', 'text/html')
  t.equal(await message(exchange()), 'apple answered /auth/token with something other than JSON')
  standIn.answerNext(200, JSON.stringify({ access_token: 'a', token_type: 'Bearer', expires_in: 3600 }))
  t.equal(await message(exchange()), 'apple answered /auth/token without a refresh token')

  const misconfigured = await apple(standIn, undefined, { keyId: 'Z9Y8X7W6V5' })
  t.equal(
    await message(misconfigured.exchange('c0de', clientId)),
    'apple refused our client secret on /auth/token (invalid_client)'
  )

  standIn.setHang(true)
  t.equal(await message(exchange()), `apple did not answer /auth/token within ${TIMEOUT_MS} ms`)
})

t.test('Apple unreachable: ProviderUnavailableError naming the network error', async (t) => {
  const tokens = await createAppleTokens({
    teamId: TEAM_ID,
    keyId: KEY_ID,
    privateKey: key.privateKey,
    authUrl: `http://127.0.0.1:${await freePort()}/`,
    timeoutMs: TIMEOUT_MS,
    clock: new ManualClock()
  })
  const error = await message(tokens.revoke('r-token', 'com.example.app'))
  t.equal(error, 'apple unreachable on /auth/revoke (ECONNREFUSED)')
})

t.test('a key that is not PKCS#8 ES256 stops the set-up, without quoting the key', async (t) => {
  const truncated = key.privateKey.slice(0, 100) + '\n-----END PRIVATE KEY-----\n'
  for (const privateKey of ['', 'not a key', truncated, key.privateKey.replace('PRIVATE', 'PUBLIC')]) {
    const error = await createAppleTokens({
      teamId: TEAM_ID, keyId: KEY_ID, privateKey, timeoutMs: TIMEOUT_MS, clock: new ManualClock()
    }).then(() => null, (error: unknown) => error)
    t.match(error, { message: 'the Sign in with Apple private key is not an ES256 key in PKCS#8 PEM' })
    if (privateKey !== '') t.notOk(inspect(error, { depth: 10, showHidden: true }).includes(keyBody(privateKey)))
  }
})

async function startStandIn (t: Test, clock: Clock = new ManualClock(Date.now())): Promise<AppleStandIn> {
  const standIn = await startAppleStandIn({ teamId: TEAM_ID, keyId: KEY_ID, publicKey: key.publicKey, clock })
  t.teardown(() => standIn.close())
  return standIn
}

function apple (
  standIn: AppleStandIn,
  clock: Clock = new ManualClock(Date.now()),
  settings: Partial<{ teamId: string, keyId: string, privateKey: string }> = {}
) {
  return createAppleTokens({
    teamId: TEAM_ID,
    keyId: KEY_ID,
    privateKey: key.privateKey,
    authUrl: standIn.url,
    timeoutMs: TIMEOUT_MS,
    clock,
    ...settings
  })
}

async function message (call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => null, (error: unknown) => error)
  if (!(error instanceof ProviderUnavailableError)) {
    throw new Error(`expected ProviderUnavailableError, got ${inspect(error)}`)
  }
  return error.message
}
