import { inspect } from 'node:util'
import t, { type Test } from 'tap'
import { createPortOneIdentityVerifier } from '../../src/adapters/portone/portone-identity-verifier.js'
import { IdentityUnavailableError } from '../../src/domain/errors.js'
import type { VerifiedIdentity } from '../../src/domain/identity.js'
import { identityVerifierContract, verificationId } from '../contracts/identity-verifier.contract.js'
import { createMemoryIdentityVerifier } from '../fakes/memory-identity-verifier.js'
import { freePort } from '../helpers/free-port.js'
import { fakeCi, fakeDi, type PortOneStandIn, startPortOneStandIn } from '../helpers/portone-stand-in.js'

const SECRET = 'portone-api-secret-that-must-stay-secret-0001'
const STORE_ID = 'store-4b2d9a1e-0c7f-4e55-9a43-1f2e3d4c5b6a'
const OTHER_STORE_ID = 'store-of-another-shop'
const TIMEOUT_MS = 200

t.test('memory', (t) => {
  identityVerifierContract(t, async () => {
    const verifier = createMemoryIdentityVerifier()
    return {
      verifier,
      addVerified: identity => verifier.add(identity),
      addPending: id => verifier.addPending(id),
      addFailed: id => verifier.addPending(id), // the fake keeps one outcome for both: not_verified
      addOtherStore: id => verifier.addOtherStore(id),
      fail: () => verifier.failWith('unavailable'),
      secrets: []
    }
  })
  t.end()
})

t.test('portone (the SDK against a local stand-in of the V2 API)', (t) => {
  identityVerifierContract(t, async (t) => {
    const standIn = await startStandIn(t)
    return {
      verifier: portOne(standIn),
      addVerified: identity => standIn.addVerified(identity.verificationId, customerOf(identity), {
        verifiedAt: identity.verifiedAt
      }),
      addPending: id => standIn.addPending(id),
      addFailed: id => standIn.addFailed(id),
      addOtherStore: id => standIn.addVerified(id, { ci: fakeCi(), di: fakeDi() }, { storeId: OTHER_STORE_ID }),
      fail: how => standIn.failNext(how === 'hang' ? 'hang' : 500),
      secrets: [SECRET]
    }
  })
  t.end()
})

t.test('portone: the secret goes as `PortOne <secret>`, the store as storeId, the id percent-encoded', async (t) => {
  const standIn = await startStandIn(t)
  const id = `${verificationId()}/a b`
  standIn.addVerified(id)
  const lookup = await portOne(standIn).lookUp(id)
  t.equal(lookup.found && lookup.identity.verificationId, id)
  t.same(standIn.requests, [{
    method: 'GET',
    path: `/identity-verifications/${encodeURIComponent(id)}`,
    storeId: STORE_ID,
    authorization: `PortOne ${SECRET}`
  }])
})

t.test('portone: a wrong secret is IdentityUnavailableError, not an answer about the id', async (t) => {
  const standIn = await startStandIn(t)
  const id = verificationId()
  standIn.addVerified(id)
  const wrong = 'another-secret-that-must-stay-secret-0002'
  const error = await rejection(portOne(standIn, wrong).lookUp(id))
  t.equal(error.message, 'portone refused our credentials (UNAUTHORIZED)')
  t.notOk(inspect(error, { depth: 10, showHidden: true }).includes(wrong), 'the secret is not in the error')
})

t.test('portone: every failure is IdentityUnavailableError naming only the error type', async (t) => {
  const standIn = await startStandIn(t)
  const verifier = portOne(standIn)
  const id = verificationId()
  standIn.addVerified(id)

  standIn.failNext(500)
  t.equal((await rejection(verifier.lookUp(id))).message, 'portone answered INTERNAL_SERVER_ERROR')
  standIn.failNext(502, 'html')
  t.equal((await rejection(verifier.lookUp(id))).message, 'portone answered something other than JSON')
  standIn.failNext(400, { type: 'A_TYPE_THIS_SDK_DOES_NOT_KNOW', message: `echoes ${SECRET}` })
  const unknown = await rejection(verifier.lookUp(id))
  t.equal(unknown.message, 'portone answered A_TYPE_THIS_SDK_DOES_NOT_KNOW')
  t.notOk(inspect(unknown, { depth: 10, showHidden: true }).includes(SECRET), "the provider's message is not kept")
  standIn.failNext('hang')
  t.equal((await rejection(verifier.lookUp(id))).message, `portone did not answer within ${TIMEOUT_MS} ms`)

  const found = await verifier.lookUp(id)
  t.ok(found.found, 'the provider answers again: the next look-up finds the person')
})

t.test('portone: a refused connection is IdentityUnavailableError naming the network error', async (t) => {
  const verifier = createPortOneIdentityVerifier({
    secret: SECRET,
    storeId: STORE_ID,
    baseUrl: `http://127.0.0.1:${await freePort()}`,
    timeoutMs: 2000
  })
  t.equal((await rejection(verifier.lookUp(verificationId()))).message, 'portone unreachable (ECONNREFUSED)')
})

t.test('portone: INVALID_REQUEST (an id PortOne cannot read) is not_found', async (t) => {
  const standIn = await startStandIn(t)
  standIn.failNext(400, { type: 'INVALID_REQUEST', message: 'invalid identityVerificationId' })
  t.same(await portOne(standIn).lookUp(verificationId()), { found: false, reason: 'not_found' })
})

t.test('portone: a verified record answered for another id than the one asked is not_found', async (t) => {
  const standIn = await startStandIn(t)
  const id = verificationId()
  standIn.addVerified(id, { ci: fakeCi() }, { recordId: verificationId() })
  t.same(await portOne(standIn).lookUp(id), { found: false, reason: 'not_found' })
})

t.test('portone: what PortOne writes that the domain has no value for becomes null', async (t) => {
  const standIn = await startStandIn(t)
  const id = verificationId()
  standIn.addVerified(id, {
    gender: 'OTHER',
    birthDate: '19900115',
    ci: '',
    di: undefined,
    operator: undefined,
    phoneNumber: undefined,
    isForeigner: undefined
  })
  const lookup = await portOne(standIn).lookUp(id)
  t.ok(lookup.found)
  if (!lookup.found) return
  const { verifiedAt: _verifiedAt, ...fields } = lookup.identity
  t.strictSame(fields, {
    verificationId: id,
    name: '홍길동',
    gender: null,
    birth: null,
    ci: null,
    di: null,
    carrier: null,
    phone: null,
    foreigner: null
  })
})

t.test('portone: a verified record without a name is IdentityUnavailableError, not a nameless person', async (t) => {
  const standIn = await startStandIn(t)
  const id = verificationId()
  const ci = fakeCi()
  standIn.addVerified(id, { name: undefined, ci })
  const error = await rejection(portOne(standIn).lookUp(id))
  t.notOk(inspect(error, { depth: 10, showHidden: true }).includes(ci), 'the CI is not in the error')
})

t.test('portone: an empty id is not_found without a request (it would address the list endpoint)', async (t) => {
  const standIn = await startStandIn(t)
  t.same(await portOne(standIn).lookUp(''), { found: false, reason: 'not_found' })
  t.same(standIn.requests, [])
})

async function startStandIn (t: Test): Promise<PortOneStandIn> {
  const standIn = await startPortOneStandIn({ secret: SECRET, storeId: STORE_ID })
  t.teardown(() => standIn.close())
  return standIn
}

function portOne (standIn: PortOneStandIn, secret = SECRET) {
  return createPortOneIdentityVerifier({ secret, storeId: STORE_ID, baseUrl: standIn.url, timeoutMs: TIMEOUT_MS })
}

/** The identity as PortOne records it: a field the provider did not return is left out. */
function customerOf (identity: VerifiedIdentity) {
  return {
    name: identity.name,
    ci: identity.ci ?? undefined,
    di: identity.di ?? undefined,
    birthDate: identity.birth ?? undefined,
    gender: identity.gender === null ? undefined : identity.gender === 'male' ? 'MALE' : 'FEMALE',
    phoneNumber: identity.phone ?? undefined,
    operator: identity.carrier ?? undefined,
    isForeigner: identity.foreigner ?? undefined
  }
}

async function rejection (lookup: Promise<unknown>): Promise<IdentityUnavailableError> {
  const error = await lookup.then(() => null, (error: unknown) => error)
  if (!(error instanceof IdentityUnavailableError)) {
    throw new Error(`expected IdentityUnavailableError, got ${inspect(error)}`)
  }
  return error
}
