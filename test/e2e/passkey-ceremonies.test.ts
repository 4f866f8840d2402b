import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { createMemoryCeremonyChallenges } from '../../src/adapters/memory/memory-ceremony-challenges.js'
import { systemClock } from '../../src/adapters/system/system-clock.js'
import { createSimpleWebAuthn } from '../../src/adapters/webauthn/simple-webauthn.js'
import type { WebAuthn } from '../../src/application/ports/system/web-authn.js'
import type { Passkey } from '../../src/domain/passkey.js'
import { launchBrowser, noBrowser } from '../helpers/console-browser.js'
import { addVirtualAuthenticator, type VirtualAuthenticator } from '../helpers/virtual-authenticator.js'

// The WebAuthn adapter against a real browser's authenticator (Chromium's virtual one): the options
// it makes are what navigator.credentials takes, and what the browser answers verifies, or not.
// The use-cases' steps (issue, take, look up, verify) are played here by hand over the adapter, the
// memory challenge store and a map of passkeys.

/** A blank page at http://localhost:<port>: localhost is a secure context, so WebAuthn runs there. */
async function servePage (t: Test): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end('<!doctype html><html><head><title>passkeys</title></head><body></body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return `http://localhost:${(server.address() as { port: number }).port}`
}

interface Stage {
  page: Page
  origin: string
  authenticator: VirtualAuthenticator
  webAuthn: WebAuthn
  challenges: ReturnType<typeof createMemoryCeremonyChallenges>
  /** The service's passkeys, by credential id. */
  passkeys: Map<string, Passkey>
}

async function stage (t: Test, synced = false): Promise<Stage> {
  const origin = await servePage(t)
  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  await page.goto(`${origin}/`)
  const authenticator = await addVirtualAuthenticator(page, { synced })
  return {
    page,
    origin,
    authenticator,
    webAuthn: createSimpleWebAuthn({ rpId: 'localhost', rpName: 'Passkey test', origins: [origin] }),
    challenges: createMemoryCeremonyChallenges(systemClock),
    passkeys: new Map()
  }
}

/** Registration as the use-case runs it: options for the member, then the answer checked against its ceremony. */
async function register (s: Stage, memberId: string): Promise<Passkey | null> {
  const mine = [...s.passkeys.values()].filter((passkey) => passkey.memberId === memberId)
  const start = await s.webAuthn.registrationOptions(
    { id: memberId, name: `member-${memberId.slice(0, 8)}`, displayName: 'Passkey Member' },
    mine.map((passkey) => passkey.credentialId)
  )
  await s.challenges.issue(start.challenge, { kind: 'register', memberId }, 300)
  const response = await s.authenticator.register(start.options)
  const challenge = s.webAuthn.challengeOf(response)
  if (challenge === null) return null
  const ceremony = await s.challenges.take(challenge)
  if (ceremony?.kind !== 'register') return null
  const created = await s.webAuthn.verifyRegistration(response, challenge)
  if (created === null) return null
  const passkey: Passkey = {
    ...created,
    memberId: ceremony.memberId,
    name: null,
    createdAt: new Date(),
    lastUsedAt: null
  }
  s.passkeys.set(passkey.credentialId, passkey)
  return passkey
}

/** A fresh sign-in ceremony: its challenge issued, the browser's answer. */
async function assertion (s: Stage): Promise<{ response: AuthenticationResponseJSON, challenge: string }> {
  const start = await s.webAuthn.authenticationOptions()
  await s.challenges.issue(start.challenge, { kind: 'sign_in' }, 300)
  return { response: await s.authenticator.authenticate(start.options), challenge: start.challenge }
}

/** Sign-in as the use-case runs it: the member the answer proves, or null; the passkey's counter moves on. */
async function signIn (s: Stage, response: unknown): Promise<string | null> {
  const challenge = s.webAuthn.challengeOf(response)
  const credentialId = s.webAuthn.credentialIdOf(response)
  if (challenge === null || credentialId === null) return null
  const ceremony = await s.challenges.take(challenge)
  if (ceremony?.kind !== 'sign_in') return null
  const passkey = s.passkeys.get(credentialId)
  if (passkey === undefined) return null
  const verified = await s.webAuthn.verifyAuthentication(response, challenge, passkey)
  if (verified === null) return null
  s.passkeys.set(credentialId, { ...passkey, counter: verified.counter, backedUp: verified.backedUp })
  return passkey.memberId
}

t.test('passkey ceremonies in Chromium against the WebAuthn adapter', { skip: noBrowser }, async (t) => {
  const s = await stage(t)
  const memberId = randomUUID()

  t.test('registration: the options make a discoverable credential that verifies', async (t) => {
    const start = await s.webAuthn.registrationOptions({ id: memberId, name: 'm', displayName: 'M' }, [])
    t.match(start.options, {
      rp: { id: 'localhost', name: 'Passkey test' },
      user: { id: Buffer.from(memberId).toString('base64url'), name: 'm', displayName: 'M' },
      challenge: start.challenge,
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }
    }, 'the member\'s id is the user handle')

    const passkey = await register(s, memberId)
    if (passkey === null) throw new Error('registration did not verify')
    t.equal(passkey.memberId, memberId, 'the ceremony kept its member')
    t.same(passkey.transports, ['internal'])
    t.equal(passkey.deviceType, 'singleDevice', 'not backup eligible: bound to this device')
    t.equal(passkey.backedUp, false)
    t.ok(passkey.publicKey.length > 0)
    const [held] = await s.authenticator.credentials()
    t.equal(held?.credentialId, passkey.credentialId, 'the id the authenticator holds')
    t.equal(held?.rpId, 'localhost')
    t.equal(held?.userHandle, Buffer.from(memberId).toString('base64url'), 'resident, with the member\'s handle')
  })

  t.test('registration: an answer for another challenge, a replay, garbage: null', async (t) => {
    const other = randomUUID()
    const start = await s.webAuthn.registrationOptions({ id: other, name: 'o', displayName: 'O' }, [])
    await s.challenges.issue(start.challenge, { kind: 'register', memberId: other }, 300)
    const response = await s.authenticator.register(start.options)
    t.equal(s.webAuthn.challengeOf(response), start.challenge)
    const elsewhere = await s.webAuthn.authenticationOptions()
    t.equal(await s.webAuthn.verifyRegistration(response, elsewhere.challenge), null, 'another challenge')
    t.not(await s.webAuthn.verifyRegistration(response, start.challenge), null, 'its own verifies')
    t.same(await s.challenges.take(start.challenge), { kind: 'register', memberId: other })
    t.equal(await s.challenges.take(start.challenge), null, 'sent again: its challenge is gone')
    for (const garbage of [null, 'x', {}, { id: response.id }, { ...response, response: {} }]) {
      t.equal(await s.webAuthn.verifyRegistration(garbage, start.challenge), null)
    }
    const stranger = createSimpleWebAuthn({ rpId: 'localhost', rpName: 'x', origins: ['https://example.com'] })
    t.equal(await stranger.verifyRegistration(response, start.challenge), null, 'made on an origin not ours')
    // The service kept no passkey for it: the device forgets it too, so sign-in offers the member's alone.
    await s.authenticator.forget(response.id)
  })

  t.test('registration again on the same device: its passkey is excluded', async (t) => {
    await t.rejects(register(s, memberId), /InvalidStateError/)
  })

  t.test('sign-in: discoverable, the counter moves, the member is known by the credential', async (t) => {
    const start = await s.webAuthn.authenticationOptions()
    t.equal(start.options.allowCredentials, undefined, 'no list of credentials: the authenticator offers its own')
    t.equal(start.options.rpId, 'localhost')
    t.equal(start.options.userVerification, 'preferred')

    const [passkey] = [...s.passkeys.values()].filter((passkey) => passkey.memberId === memberId)
    if (passkey === undefined) throw new Error('no passkey registered')
    const before = passkey.counter
    const { response, challenge } = await assertion(s)
    t.equal(s.webAuthn.credentialIdOf(response), passkey.credentialId)
    t.equal(s.webAuthn.challengeOf(response), challenge)
    t.equal(await signIn(s, response), memberId)
    const after = s.passkeys.get(passkey.credentialId)!.counter
    t.ok(after > before, `counter ${before} → ${after}`)

    t.equal(await signIn(s, response), null, 'the same assertion again: its challenge was taken')
    t.equal(
      await s.webAuthn.verifyAuthentication(response, challenge, s.passkeys.get(passkey.credentialId)!),
      null,
      'and even with its challenge, the counter has not moved past the one kept'
    )
  })

  t.test('sign-in: an assertion for another origin or relying party is refused', async (t) => {
    const [passkey] = [...s.passkeys.values()]
    const { response, challenge } = await assertion(s)
    t.equal(s.webAuthn.credentialIdOf(response), passkey!.credentialId, 'an assertion by the registered passkey')
    const port = new URL(s.origin).port
    const otherOrigin = createSimpleWebAuthn({
      rpId: 'localhost',
      rpName: 'x',
      origins: [`http://localhost:${Number(port) + 1}`, 'https://example.com']
    })
    t.equal(await otherOrigin.verifyAuthentication(response, challenge, passkey!), null, 'made on an origin not ours')
    const otherRp = createSimpleWebAuthn({ rpId: 'example.com', rpName: 'x', origins: [s.origin] })
    t.equal(await otherRp.verifyAuthentication(response, challenge, passkey!), null, 'for another relying party')
    t.equal(await signIn(s, response), passkey!.memberId, 'the assertion itself was good')
  })

  t.test('sign-in: the answer must name the passkey it is checked against, and its member', async (t) => {
    const theirs = randomUUID()
    const second = await stage(t)
    const theirPasskey = await register(second, theirs)
    if (theirPasskey === null) throw new Error('registration did not verify')
    const [mine] = [...s.passkeys.values()]
    const { response, challenge } = await assertion(s)
    t.equal(
      await s.webAuthn.verifyAuthentication(response, challenge, theirPasskey),
      null,
      'another credential\'s record'
    )
    t.equal(
      await s.webAuthn.verifyAuthentication(response, challenge, { ...mine!, credentialId: theirPasskey.credentialId }),
      null,
      'another id on the right key'
    )
    t.equal(
      await s.webAuthn.verifyAuthentication(response, challenge, { ...mine!, memberId: theirs }),
      null,
      'a user handle that is not the record\'s member'
    )
    const signature = response.response.signature.slice(0, -4) + 'AAAA'
    const tampered = { ...response, response: { ...response.response, signature } }
    t.equal(await s.webAuthn.verifyAuthentication(tampered, challenge, mine!), null, 'a signature that does not check')
    for (const garbage of [null, 7, 'x', {}, { id: mine!.credentialId }, { id: mine!.credentialId, response: {} }]) {
      t.equal(await s.webAuthn.verifyAuthentication(garbage, challenge, mine!), null)
      t.equal(s.webAuthn.challengeOf(garbage), null)
    }
    t.equal(s.webAuthn.credentialIdOf({ id: 'not base64url!' }), null)
    const notJson = Buffer.from('not json').toString('base64url')
    t.equal(s.webAuthn.challengeOf({ response: { clientDataJSON: notJson } }), null)
    t.equal(await s.webAuthn.verifyAuthentication(response, challenge, mine!) !== null, true, 'the real one verifies')
  })

  t.test('sign-in: a passkey the service removed is refused', async (t) => {
    const [passkey] = [...s.passkeys.values()]
    s.passkeys.delete(passkey!.credentialId)
    const { response } = await assertion(s)
    t.equal(s.webAuthn.credentialIdOf(response), passkey!.credentialId, 'the authenticator still offers it')
    t.equal(await signIn(s, response), null)
  })
})

t.test('a synced passkey: multi-device, and its backup state followed at sign-in', { skip: noBrowser }, async (t) => {
  const s = await stage(t, true)
  const memberId = randomUUID()
  const passkey = await register(s, memberId)
  if (passkey === null) throw new Error('registration did not verify')
  t.equal(passkey.deviceType, 'multiDevice')
  t.equal(passkey.backedUp, true)

  await s.authenticator.setBackupState(passkey.credentialId, false)
  t.equal(await signIn(s, (await assertion(s)).response), memberId)
  t.equal(s.passkeys.get(passkey.credentialId)!.backedUp, false, 'no longer backed up')
  await s.authenticator.setBackupState(passkey.credentialId, true)
  t.equal(await signIn(s, (await assertion(s)).response), memberId)
  t.equal(s.passkeys.get(passkey.credentialId)!.backedUp, true, 'backed up again')
})
