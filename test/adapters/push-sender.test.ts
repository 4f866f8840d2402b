import { generateKeyPairSync } from 'node:crypto'
import t, { type Test } from 'tap'
import { AppErrorCodes, deleteApp, FirebaseAppError, initializeApp, type Credential } from 'firebase-admin/app'
import {
  FirebaseMessagingError, getMessaging, MessagingClientErrorCode,
  type BatchResponse, type Messaging, type MulticastMessage, type SendResponse
} from 'firebase-admin/messaging'
import {
  createFcmPushSender,
  createFirebaseMessaging,
  type FcmPushSenderOptions
} from '../../src/adapters/fcm/fcm-push-sender.js'
import { createMemoryPushSender } from '../fakes/memory-push-sender.js'
import { createLogPushSender, type PushSentEvent } from '../../src/adapters/system/log-push-sender.js'
import { deviceTokens, pushMessage, pushSenderContract } from '../contracts/push-sender.contract.js'
import { uniqueSuffix } from '../helpers/services.js'

// firebase-admin builds its errors with constructors and a factory it marks @internal, so its
// typings do not show them; these casts name the runtime signatures of firebase-admin 13.
const MessagingErrorFactory = FirebaseMessagingError as unknown as {
  /** What firebase-admin does with an FCM v1 error answer: maps `details[].errorCode` to a `messaging/...` code. */
  fromServerError (serverErrorCode: string, message?: string, rawServerResponse?: object): FirebaseMessagingError
  new (info: { code: string, message: string }, message?: string): FirebaseMessagingError
}
const AppError = FirebaseAppError as unknown as new (code: string, message: string) => FirebaseAppError

/** A per-token failure as sendEachForMulticast reports an FCM v1 error answer for that token. */
function fcmError (serverCode: string, httpStatus: number): SendResponse {
  const message = `FCM said ${serverCode}`
  const raw = {
    error: {
      code: httpStatus,
      message,
      status: serverCode,
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: serverCode }]
    }
  }
  return { success: false, error: MessagingErrorFactory.fromServerError(serverCode, message, raw) }
}

/** A per-token failure as firebase-admin reports a socket or HTTP/2 failure of that token's request. */
const networkError = (): SendResponse => ({
  success: false,
  error: new AppError(AppErrorCodes.NETWORK_ERROR, 'Error while making request: socket hang up. Error code: ECONNRESET')
})

const delivered = (): SendResponse => ({
  success: true,
  messageId: `projects/test-project/messages/0:${uniqueSuffix()}`
})

const batch = (responses: SendResponse[]): BatchResponse => {
  const successCount = responses.filter((response) => response.success).length
  return { responses, successCount, failureCount: responses.length - successCount }
}

/** Answers one call: a BatchResponse, or a throw / rejection standing for the call as a whole failing. */
type Answer = (message: MulticastMessage, call: number) => Promise<BatchResponse> | BatchResponse

const deliverAll: Answer = (message) => batch(message.tokens.map(delivered))

/** A credential that never leaves the process: a fixed access token, no Google OAuth round trip. */
const fixedCredential: Credential = {
  getAccessToken: async () => ({ access_token: 'test-access-token', expires_in: 3600 })
}

/**
 * A real firebase-admin Messaging on an app of this test's own, so the adapter is checked against
 * the SDK's own type; only sendEachForMulticast is swapped for the given answers, so nothing is sent.
 */
function controlledMessaging (t: Test, answer: Answer) {
  const app = initializeApp({ projectId: 'test-project', credential: fixedCredential }, `push-test-${uniqueSuffix()}`)
  t.teardown(() => deleteApp(app))
  const messaging: Messaging = getMessaging(app)
  const calls: MulticastMessage[] = []
  messaging.sendEachForMulticast = (message) => {
    calls.push(structuredClone(message))
    // Not async on purpose: an answer may throw synchronously, as firebase-admin's own validation does.
    return Promise.resolve(answer(message, calls.length))
  }
  return { messaging, calls }
}

/** The FCM adapter over controlled answers, with a sleep that records and does not wait. */
function fcmSender (t: Test, answer: Answer, options: Partial<FcmPushSenderOptions> = {}) {
  const { messaging, calls } = controlledMessaging(t, answer)
  const sleeps: number[] = []
  const sender = createFcmPushSender({ messaging, sleep: async (ms) => { sleeps.push(ms) }, ...options })
  return { sender, calls, sleeps }
}

t.test('contract: fcm', async (t) => pushSenderContract(t, async (t) => {
  const { sender, calls } = fcmSender(t, deliverAll)
  return { sender, devicesReached: () => calls.reduce((sum, call) => sum + call.tokens.length, 0) }
}))

t.test('contract: log', async (t) => pushSenderContract(t, async () => {
  const events: PushSentEvent[] = []
  return {
    sender: createLogPushSender(event => events.push(event)),
    devicesReached: () => events.reduce((sum, event) => sum + event.devices, 0)
  }
}))

t.test('contract: memory', async (t) => pushSenderContract(t, async () => {
  const sender = createMemoryPushSender()
  return { sender, devicesReached: () => sender.deliveries }
}))

t.test('fcm: the error objects built here carry the codes firebase-admin gives', async (t) => {
  t.equal(fcmError('UNREGISTERED', 404).error?.code, 'messaging/registration-token-not-registered')
  t.equal(fcmError('NOT_FOUND', 404).error?.code, 'messaging/registration-token-not-registered')
  t.equal(fcmError('InvalidRegistration', 400).error?.code, 'messaging/invalid-registration-token')
  t.equal(fcmError('INVALID_ARGUMENT', 400).error?.code, 'messaging/invalid-argument')
  t.equal(fcmError('UNAVAILABLE', 503).error?.code, 'messaging/server-unavailable')
  t.equal(fcmError('QUOTA_EXCEEDED', 429).error?.code, 'messaging/message-rate-exceeded')
  t.equal(networkError().error?.code, 'app/network-error')
  t.ok(fcmError('UNREGISTERED', 404).error instanceof FirebaseMessagingError)
})

t.test('fcm: all succeed, sent as one multicast with notification and data', async (t) => {
  const { sender, calls, sleeps } = fcmSender(t, deliverAll)
  const tokens = deviceTokens(3)
  const message = pushMessage({ title: 'Hello', body: 'World', data: { kind: 'chat', roomId: '42' } })
  t.same(await sender.send(tokens, message), { delivered: 3, deadTokens: [], failedTokens: [] })
  t.same(calls, [{ tokens, notification: { title: 'Hello', body: 'World' }, data: { kind: 'chat', roomId: '42' } }])
  t.same(sleeps, [])
})

t.test('fcm: an unregistered and an invalid token come back dead, without a retry', async (t) => {
  const [ok, unregistered, invalid, gone] = deviceTokens(4) as [string, string, string, string]
  const { sender, calls } = fcmSender(t, () =>
    batch([
      delivered(),
      fcmError('UNREGISTERED', 404),
      fcmError('InvalidRegistration', 400),
      fcmError('NOT_FOUND', 404)
    ])
  )
  t.same(await sender.send([ok, unregistered, invalid, gone], pushMessage()), {
    delivered: 1,
    deadTokens: [unregistered, invalid, gone],
    failedTokens: []
  })
  t.equal(calls.length, 1)
})

t.test('fcm: invalid-argument is a dead token only when the same message reached another device', async (t) => {
  await t.test('another token delivered: the message is fine, so the token is bad', async (t) => {
    const [ok, malformed] = deviceTokens(2) as [string, string]
    const { sender, calls } = fcmSender(t, () => batch([delivered(), fcmError('INVALID_ARGUMENT', 400)]))
    t.same(await sender.send([ok, malformed], pushMessage()), {
      delivered: 1,
      deadTokens: [malformed],
      failedTokens: []
    })
    t.equal(calls.length, 1)
  })
  await t.test('nothing delivered: it may be the message, so the tokens are kept', async (t) => {
    const tokens = deviceTokens(3)
    const { sender, calls } = fcmSender(t, message =>
      batch(message.tokens.map(() => fcmError('INVALID_ARGUMENT', 400)))
    )
    t.same(await sender.send(tokens, pushMessage()), { delivered: 0, deadTokens: [], failedTokens: tokens })
    t.equal(calls.length, 1, 'not retried: the same message would be refused again')
  })
})

t.test('fcm: a transient error on one token is retried for that token only, then delivered', async (t) => {
  const [a, b, c] = deviceTokens(3) as [string, string, string]
  const { sender, calls, sleeps } = fcmSender(t, (message, call) =>
    call === 1 ? batch([delivered(), fcmError('UNAVAILABLE', 503), delivered()]) : deliverAll(message, call))
  t.same(await sender.send([a, b, c], pushMessage()), { delivered: 3, deadTokens: [], failedTokens: [] })
  t.same(calls.map((call) => call.tokens), [[a, b, c], [b]])
  t.same(calls[1]?.notification, calls[0]?.notification, 'the retry carries the same message')
  t.same(sleeps, [200])
})

t.test('fcm: each transient kind is retried', async (t) => {
  const kinds: Array<[string, () => SendResponse]> = [
    ['UNAVAILABLE', () => fcmError('UNAVAILABLE', 503)],
    ['INTERNAL', () => fcmError('INTERNAL', 500)],
    ['QUOTA_EXCEEDED', () => fcmError('QUOTA_EXCEEDED', 429)],
    ['RESOURCE_EXHAUSTED', () => fcmError('RESOURCE_EXHAUSTED', 429)],
    ['network error', networkError],
    [
      'network timeout',
      () => ({
        success: false,
        error: new AppError(AppErrorCodes.NETWORK_TIMEOUT, 'Error while making request: timeout.')
      })
    ]
  ]
  for (const [name, failure] of kinds) {
    await t.test(name, async (t) => {
      const [token] = deviceTokens(1) as [string]
      const { sender, calls } = fcmSender(t, (message, call) =>
        call === 1 ? batch([failure()]) : deliverAll(message, call)
      )
      t.same(await sender.send([token], pushMessage()), { delivered: 1, deadTokens: [], failedTokens: [] })
      t.equal(calls.length, 2)
    })
  }
})

t.test('fcm: a transient error that persists ends in failedTokens after maxAttempts calls', async (t) => {
  await t.test('defaults: 3 attempts, waits of 200 and 1000 ms', async (t) => {
    const [ok, flaky] = deviceTokens(2) as [string, string]
    const { sender, calls, sleeps } = fcmSender(t, (message) =>
      batch(message.tokens.map((token) => token === flaky ? fcmError('UNAVAILABLE', 503) : delivered())))
    t.same(await sender.send([ok, flaky], pushMessage()), { delivered: 1, deadTokens: [], failedTokens: [flaky] })
    t.same(calls.map((call) => call.tokens), [[ok, flaky], [flaky], [flaky]])
    t.same(sleeps, [200, 1000])
  })
  await t.test('configured: 4 attempts, the last delay repeats', async (t) => {
    const tokens = deviceTokens(2)
    const { sender, calls, sleeps } = fcmSender(
      t,
      () => Promise.reject(new AppError(AppErrorCodes.NETWORK_ERROR, 'down')),
      { maxAttempts: 4, retryDelaysMs: [10, 50] }
    )
    t.same(await sender.send(tokens, pushMessage()), { delivered: 0, deadTokens: [], failedTokens: tokens })
    t.equal(calls.length, 4)
    t.same(sleeps, [10, 50, 50])
  })
  await t.test('maxAttempts 1: no retry', async (t) => {
    const tokens = deviceTokens(1)
    const { sender, calls, sleeps } = fcmSender(t, () => batch([networkError()]), { maxAttempts: 1 })
    t.same(await sender.send(tokens, pushMessage()), { delivered: 0, deadTokens: [], failedTokens: tokens })
    t.equal(calls.length, 1)
    t.same(sleeps, [])
  })
})

t.test('fcm: a whole-call failure is retried for the whole chunk', async (t) => {
  await t.test('a rejection (network)', async (t) => {
    const tokens = deviceTokens(3)
    const { sender, calls } = fcmSender(t, (message, call) =>
      call === 1
        ? Promise.reject(new AppError(AppErrorCodes.NETWORK_ERROR, 'Error while making requests: GOAWAY'))
        : deliverAll(message, call)
    )
    t.same(await sender.send(tokens, pushMessage()), { delivered: 3, deadTokens: [], failedTokens: [] })
    t.same(calls.map((call) => call.tokens), [tokens, tokens])
  })
  await t.test('a synchronous throw, as firebase-admin\'s own argument checks do', async (t) => {
    const tokens = deviceTokens(2)
    const { sender, calls } = fcmSender(t, (message, call) => {
      if (call === 1) {
        throw new MessagingErrorFactory(MessagingClientErrorCode.INVALID_ARGUMENT, 'tokens must be a non-empty array')
      }
      return deliverAll(message, call)
    })
    t.same(await sender.send(tokens, pushMessage()), { delivered: 2, deadTokens: [], failedTokens: [] })
    t.equal(calls.length, 2)
  })
  await t.test('a dropped HTTP/2 session: answers that arrived are used, only the rest is resent', async (t) => {
    const [a, b, c] = deviceTokens(3) as [string, string, string]
    const { sender, calls } = fcmSender(t, (message, call) => {
      if (call > 1) return deliverAll(message, call)
      // The shape of firebase-admin's FirebaseMessagingSessionError: a messaging error with the
      // batch of the requests that were under way when the session failed.
      const error = Object.assign(new MessagingErrorFactory(MessagingClientErrorCode.UNKNOWN_ERROR, 'session error'), {
        pendingBatchResponse: Promise.resolve(batch([delivered(), networkError(), fcmError('UNREGISTERED', 404)]))
      })
      return Promise.reject(error)
    })
    t.same(await sender.send([a, b, c], pushMessage()), { delivered: 2, deadTokens: [c], failedTokens: [] })
    t.same(calls.map((call) => call.tokens), [[a, b, c], [b]])
  })
})

t.test('fcm: authentication and credential errors fail at once, without a retry', async (t) => {
  const kinds: Array<[string, () => SendResponse]> = [
    ['APNs / web push credential refused', () => fcmError('THIRD_PARTY_AUTH_ERROR', 401)],
    ['sender id mismatch', () => fcmError('SENDER_ID_MISMATCH', 403)],
    ['permission denied', () => fcmError('PERMISSION_DENIED', 403)],
    [
      'access token not obtained',
      () => ({
        success: false,
        error: new AppError(AppErrorCodes.INVALID_CREDENTIAL, 'Failed to fetch a valid Google OAuth2 access token')
      })
    ],
    [
      'non-JSON 401',
      () => ({ success: false, error: new MessagingErrorFactory(MessagingClientErrorCode.AUTHENTICATION_ERROR) })
    ],
    ['an error without a code', () => ({ success: false, error: new TypeError('boom') as never })]
  ]
  for (const [name, failure] of kinds) {
    await t.test(name, async (t) => {
      const tokens = deviceTokens(2)
      const { sender, calls, sleeps } = fcmSender(t, (message) => batch(message.tokens.map(failure)))
      t.same(await sender.send(tokens, pushMessage()), { delivered: 0, deadTokens: [], failedTokens: tokens })
      t.equal(calls.length, 1)
      t.same(sleeps, [])
    })
  }
})

t.test('fcm: 1,200 tokens go out in chunks of at most 500', async (t) => {
  const tokens = deviceTokens(1200)
  const { sender, calls } = fcmSender(t, deliverAll)
  t.same(await sender.send(tokens, pushMessage()), { delivered: 1200, deadTokens: [], failedTokens: [] })
  t.same(calls.map((call) => call.tokens.length), [500, 500, 200])
  t.same(calls.flatMap((call) => call.tokens), tokens, 'each token once, in order')
})

t.test('fcm: never throws, whatever the SDK does', async (t) => {
  await t.test('every call rejects with a non-Firebase error', async (t) => {
    const tokens = deviceTokens(2)
    const { sender, calls } = fcmSender(t, () => { throw new TypeError('cannot read properties of undefined') })
    t.same(await sender.send(tokens, pushMessage()), { delivered: 0, deadTokens: [], failedTokens: tokens })
    t.equal(calls.length, 3, 'treated as a failed call: retried')
  })
  await t.test('fewer answers than tokens: the unanswered are retried, not lost', async (t) => {
    const [a, b] = deviceTokens(2) as [string, string]
    const { sender, calls } = fcmSender(t, (message, call) =>
      call === 1 ? batch([delivered()]) : deliverAll(message, call)
    )
    t.same(await sender.send([a, b], pushMessage()), { delivered: 2, deadTokens: [], failedTokens: [] })
    t.same(calls.map((call) => call.tokens), [[a, b], [b]])
  })
  await t.test('a sleep that fails', async (t) => {
    const tokens = deviceTokens(1)
    const { sender } = fcmSender(t, () => batch([networkError()]), {
      sleep: async () => {
        throw new Error('timer gone')
      }
    })
    t.same(await sender.send(tokens, pushMessage()), { delivered: 0, deadTokens: [], failedTokens: tokens })
  })
})

t.test('fcm: a maxAttempts below 1 is refused at construction', async (t) => {
  const { messaging } = controlledMessaging(t, deliverAll)
  t.throws(() => createFcmPushSender({ messaging, maxAttempts: 0 }))
  t.throws(() => createFcmPushSender({ messaging, maxAttempts: 1.5 }))
})

t.test('createFirebaseMessaging builds a Messaging on a named app without sending anything', async (t) => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  })
  const appName = `push-test-${uniqueSuffix()}`
  const messaging = createFirebaseMessaging(
    { projectId: 'test-project', clientEmail: 'push@test-project.iam.gserviceaccount.com', privateKey },
    appName
  )
  t.teardown(() => deleteApp(messaging.app))
  t.equal(messaging.app.name, appName)
  t.equal(messaging.app.options.projectId, 'test-project')
  t.equal(typeof messaging.sendEachForMulticast, 'function')

  const secret = 'not-a-pem-but-secret'
  const error = await Promise.resolve()
    .then(() =>
      createFirebaseMessaging({ projectId: 'p', clientEmail: 'e@p', privateKey: secret }, `push-test-${uniqueSuffix()}`)
    )
    .then(
      () => null,
      (error: unknown) => error
    )
  t.equal((error as { code?: unknown } | null)?.code, 'app/invalid-credential', 'a malformed key stops start-up')
  t.notOk(String((error as Error).message).includes(secret), 'without quoting the key')
})

t.test('log: reports devices, title and data, never a token', async (t) => {
  const written: unknown[] = []
  const sender = createLogPushSender((event) => written.push(event))
  const tokens = deviceTokens(3)
  const outcome = await sender.send(
    [...tokens, tokens[0]!],
    pushMessage({ title: 'Hi', body: 'secret-ish body', data: { kind: 'chat' } })
  )
  t.same(outcome, { delivered: 3, deadTokens: [], failedTokens: [] })
  t.same(written, [{ event: 'push.sent', devices: 3, title: 'Hi', data: { kind: 'chat' } }])
  const text = JSON.stringify(written)
  for (const token of tokens) {
    t.notOk(text.includes(token), 'the token is not written')
    t.notOk(text.includes(token.split(':')[0]!), 'nor a part of it')
  }
})

t.test('memory: records per token, dead tokens and outages', async (t) => {
  const sender = createMemoryPushSender()
  const [a, b, c] = deviceTokens(3) as [string, string, string]
  const first = pushMessage({ title: 'first' })
  t.same(await sender.send([a, b], first), { delivered: 2, deadTokens: [], failedTokens: [] })
  first.data.changed = 'after send'
  t.same(sender.messagesTo(a).map((message) => message.title), ['first'])
  t.same(sender.messagesTo(a)[0]?.data.changed, undefined, 'a copy was kept')

  sender.markDead(b)
  t.same(await sender.send([a, b, c], pushMessage({ title: 'second' })), {
    delivered: 2,
    deadTokens: [b],
    failedTokens: []
  })
  t.same(sender.messagesTo(b).map((message) => message.title), ['first'], 'a dead token gets nothing more')
  t.same(sender.messagesTo(c).map((message) => message.title), ['second'])

  sender.failing = true
  t.same(await sender.send([a, c], pushMessage({ title: 'third' })), {
    delivered: 0,
    deadTokens: [],
    failedTokens: [a, c]
  })
  t.equal(sender.messagesTo(a).length, 2, 'nothing recorded during the outage')
  sender.failing = false
  t.equal((await sender.send([a], pushMessage())).delivered, 1)
})
