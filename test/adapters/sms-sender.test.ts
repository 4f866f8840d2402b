import t from 'tap'
import { createMemorySmsSender } from '../fakes/memory-sms-sender.js'
import {
  authorization,
  createSolapiSmsSender,
  koreanNationalNumber
} from '../../src/adapters/solapi/solapi-sms-sender.js'
import { createLogSmsSender, type SmsSentEvent } from '../../src/adapters/system/log-sms-sender.js'
import { createTwilioSmsSender } from '../../src/adapters/twilio/twilio-sms-sender.js'
import { SmsUnavailableError } from '../../src/domain/errors.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { SMS_BODY, smsSenderContract } from '../contracts/sms-sender.contract.js'
import { freePort } from '../helpers/free-port.js'
import { startSolapiStandIn, startTwilioStandIn } from '../helpers/sms-stand-ins.js'

const TIMEOUT_MS = 300
const twilioCredentials = {
  accountSid: 'AC' + '0123456789abcdef'.repeat(2),
  authToken: 'auth-token-that-must-stay-secret'
}
const solapiCredentials = { apiKey: 'NCSTESTAPIKEY0001', apiSecret: 'solapi-secret-that-must-stay-secret-0001' }
const SOLAPI_SENDER = '0212345678'

t.test('memory', (t) => {
  smsSenderContract(
    t,
    {
      to: '+821012345678',
      from: null,
      timeoutMs: null,
      gaps: { hang: 'memory makes no network call that could hang' }
    },
    async () => {
      const sender = createMemorySmsSender()
      return {
        sender,
        delivered: () => sender.sent.map(({ to, body }) => ({ to, from: null, body })),
        refuse: () => {
          sender.failing = true
        },
        hang: () => {},
        logged: () => '',
        secrets: []
      }
    }
  )
  t.end()
})

t.test('log', (t) => {
  const gaps = {
    refuse: 'the log sender has no provider to refuse',
    hang: 'the log sender makes no network call',
    log: 'the log sender writes the text, code included, to the log by design (production refuses SMS_PROVIDER=log)'
  }
  smsSenderContract(t, { to: '+821012345678', from: null, timeoutMs: null, gaps }, async () => {
    const events: SmsSentEvent[] = []
    return {
      sender: createLogSmsSender((event) => events.push(event)),
      delivered: () => events.map(({ to, body }) => ({ to, from: null, body })),
      refuse: () => {},
      hang: () => {},
      logged: () => '',
      secrets: []
    }
  })
  t.end()
})

t.test('twilio (the SDK against a local stand-in)', (t) => {
  smsSenderContract(t, { to: '+821012345678', from: '+15005550006', timeoutMs: TIMEOUT_MS }, async (t) => {
    const standIn = await startTwilioStandIn(t, twilioCredentials)
    return {
      sender: createTwilioSmsSender({
        ...twilioCredentials,
        from: '+15005550006',
        messagingServiceSid: null,
        timeoutMs: TIMEOUT_MS,
        httpClient: standIn.httpClient
      }),
      delivered: () => standIn.delivered,
      refuse: status => standIn.setMode({ refuse: status }),
      hang: () => standIn.setMode({ hang: true }),
      logged: () => '',
      secrets: [
        twilioCredentials.authToken,
        Buffer.from(`${twilioCredentials.accountSid}:${twilioCredentials.authToken}`).toString('base64')
      ]
    }
  })
  t.end()
})

t.test('solapi (REST against a local stand-in that checks the signature)', (t) => {
  smsSenderContract(t, { to: '01012345678', from: SOLAPI_SENDER, timeoutMs: TIMEOUT_MS }, async (t) => {
    const standIn = await startSolapiStandIn(t, solapiCredentials)
    return {
      sender: createSolapiSmsSender({
        ...solapiCredentials,
        sender: SOLAPI_SENDER,
        baseUrl: standIn.origin,
        timeoutMs: TIMEOUT_MS
      }),
      delivered: () => standIn.delivered,
      refuse: status => standIn.setMode({ refuse: status }),
      hang: () => standIn.setMode({ hang: true }),
      logged: () => '',
      secrets: [solapiCredentials.apiSecret],
      problems: () => standIn.rejectedSignatures
    }
  })
  t.end()
})

t.test('solapi: the refusal names the status and Solapi error code only', async (t) => {
  const standIn = await startSolapiStandIn(t, solapiCredentials)
  standIn.setMode({ refuse: 400 })
  const sender = createSolapiSmsSender({
    ...solapiCredentials,
    sender: SOLAPI_SENDER,
    baseUrl: standIn.origin + '/',
    timeoutMs: TIMEOUT_MS
  })
  await t.rejects(sender.send('+821012345678' as PhoneNumber, SMS_BODY), {
    message: 'solapi refused the message (HTTP 400, ValidationError)'
  })
})

t.test('solapi: a wrong secret is refused by the stand-in and reported as a refusal', async (t) => {
  const standIn = await startSolapiStandIn(t, solapiCredentials)
  const sender = createSolapiSmsSender({
    ...solapiCredentials,
    apiSecret: 'another-secret',
    sender: SOLAPI_SENDER,
    baseUrl: standIn.origin,
    timeoutMs: TIMEOUT_MS
  })
  await t.rejects(sender.send('+821012345678' as PhoneNumber, SMS_BODY), {
    message: 'solapi refused the message (HTTP 401, SignatureDoesNotMatch)'
  })
  t.same(standIn.rejectedSignatures, ['signature does not match'])
})

t.test('solapi: a refused connection is SmsUnavailableError naming the network error', async (t) => {
  const sender = createSolapiSmsSender({
    ...solapiCredentials,
    sender: SOLAPI_SENDER,
    baseUrl: `http://127.0.0.1:${await freePort()}`,
    timeoutMs: TIMEOUT_MS
  })
  await t.rejects(sender.send('+821012345678' as PhoneNumber, SMS_BODY), {
    message: 'solapi unreachable (ECONNREFUSED)'
  })
})

t.test('solapi: a number of another country is refused before any request', async (t) => {
  const standIn = await startSolapiStandIn(t, solapiCredentials)
  const sender = createSolapiSmsSender({
    ...solapiCredentials,
    sender: SOLAPI_SENDER,
    baseUrl: standIn.origin,
    timeoutMs: TIMEOUT_MS
  })
  const error = await sender.send('+819012345678' as PhoneNumber, SMS_BODY).catch((error: unknown) => error)
  t.ok(error instanceof SmsUnavailableError)
  t.match((error as Error).message, /Korean numbers/)
  t.same(standIn.delivered, [])
})

t.test('solapi: Korean E.164 numbers become national digits', async (t) => {
  t.equal(koreanNationalNumber('+821012345678' as PhoneNumber), '01012345678')
  t.equal(koreanNationalNumber('+8221234567' as PhoneNumber), '021234567')
  t.equal(koreanNationalNumber('+14155550100' as PhoneNumber), null)
})

t.test('solapi: the signature is the hex HMAC-SHA256 of date + salt under the secret', async (t) => {
  // Computed independently: printf '2026-12-06T00:00:00.000Zabc' | openssl dgst -sha256 -hmac secret
  t.equal(authorization('key', 'secret', '2026-12-06T00:00:00.000Z', 'abc'),
    'HMAC-SHA256 apiKey=key, date=2026-12-06T00:00:00.000Z, salt=abc, signature=' + SIGNATURE)
  const first = authorization('key', 'secret')
  t.not(first, authorization('key', 'secret'), 'a fresh salt every request')
})

const SIGNATURE = '9c3b9f52de6b7c1eef6a170f0218e8b7f3362e8f65b6da7349b332135cffce21'
