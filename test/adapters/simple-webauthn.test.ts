import t from 'tap'
import { createSimpleWebAuthn } from '../../src/adapters/webauthn/simple-webauthn.js'

// The ceremonies themselves are proved in a browser (test/e2e/passkey-ceremonies.test.ts); here,
// what needs none: settings, and answers too malformed to reach the library.

t.test('settings the library would refuse at every verification are refused at start-up', async (t) => {
  const make = (rpId: string, origins: string[]) => () => createSimpleWebAuthn({ rpId, rpName: 'x', origins })
  t.throws(make('https://example.com', ['https://example.com']), /rpId/, 'an id is a host, not a URL')
  t.throws(make('exämple.com', ['https://example.com']), /rpId/, 'a host not in punycode')
  t.throws(make('example.com', ['https://example.com/']), /origin/, 'a trailing slash')
  t.throws(make('example.com', ['https://example.com/sign-in']), /origin/, 'a path')
  t.throws(make('exa mple.com', ['https://example.com']), /rpId/, 'not a host at all')
  t.throws(make('example.com', []), /origin/, 'no origin at all')
  t.doesNotThrow(make('example.com', [
    'https://example.com',
    'https://login.example.com:8443',
    'android:apk-key-hash:-sYXRdwJA3hvue3mKpYrOZ9zSPC7b4mbgzJmdZEDO5w'
  ]), 'web origins and an Android app\'s')
})

t.test('answers that are not WebAuthn answers: null, never a throw', async (t) => {
  const webAuthn = createSimpleWebAuthn({ rpId: 'example.com', rpName: 'x', origins: ['https://example.com'] })
  const clientData = (value: unknown) =>
    ({ response: { clientDataJSON: Buffer.from(JSON.stringify(value)).toString('base64url') } })
  t.equal(webAuthn.challengeOf(clientData({ type: 'webauthn.get', challenge: 'abc' })), 'abc')
  for (const garbage of [
    null, 1, 'x', [], {}, { response: null }, { response: { clientDataJSON: 7 } },
    { response: { clientDataJSON: 'not base64url!' } }, clientData(['challenge']), clientData({ challenge: 5 }),
    clientData({ challenge: '' }), { response: { clientDataJSON: 'A'.repeat(9000) } }
  ]) {
    t.equal(webAuthn.challengeOf(garbage), null, JSON.stringify(garbage)?.slice(0, 60))
  }
  t.equal(webAuthn.credentialIdOf({ id: 'AbC-_9' }), 'AbC-_9')
  for (const garbage of [null, 'x', { id: 7 }, { id: '' }, { id: 'a+b/c=' }, { id: 'A'.repeat(1400) }]) {
    t.equal(webAuthn.credentialIdOf(garbage), null)
  }
  const passkey = {
    credentialId: 'AbC',
    memberId: 'm',
    publicKey: new Uint8Array([1, 2, 3]),
    counter: 0,
    transports: [],
    deviceType: 'singleDevice' as const,
    backedUp: false,
    name: null,
    createdAt: new Date(),
    lastUsedAt: null
  }
  for (const garbage of [null, 'x', {}, { id: 'AbC' }, { id: 'AbC', rawId: 'AbC', type: 'public-key', response: {} }]) {
    t.equal(await webAuthn.verifyRegistration(garbage, 'abc'), null)
    t.equal(await webAuthn.verifyAuthentication(garbage, 'abc', passkey), null)
  }
})

t.test('options: a registration excludes the member\'s passkeys; sign-in names none', async (t) => {
  const webAuthn = createSimpleWebAuthn({ rpId: 'example.com', rpName: 'Example', origins: ['https://example.com'] })
  const member = { id: 'member-1', name: 'n', displayName: 'N' }
  const registration = await webAuthn.registrationOptions(member, ['AbC', 'dEf'])
  t.match(registration.options, {
    rp: { id: 'example.com', name: 'Example' },
    user: { id: Buffer.from('member-1').toString('base64url') },
    excludeCredentials: [{ id: 'AbC', type: 'public-key' }, { id: 'dEf', type: 'public-key' }]
  })
  t.equal(registration.options.challenge, registration.challenge)
  const signIn = await webAuthn.authenticationOptions()
  t.equal(signIn.options.challenge, signIn.challenge)
  t.equal(signIn.options.allowCredentials, undefined, 'discoverable: the authenticator offers its own')
  t.not(signIn.challenge, registration.challenge, 'a fresh challenge each time')
  t.ok(Buffer.from(signIn.challenge, 'base64url').length >= 16, 'of enough random bytes')
})
