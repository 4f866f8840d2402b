import { inspect } from 'node:util'
import type { Test } from 'tap'
import type { SmsSender } from '../../src/application/ports/outbound/sms-sender.js'
import { SmsUnavailableError } from '../../src/domain/errors.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import type { DeliveredText } from '../helpers/sms-stand-ins.js'

export const SMS_TO = '+821012345678' as PhoneNumber
export const SMS_CODE = '482913'
export const SMS_BODY = `[인증] Your verification code is ${SMS_CODE}`

export interface SmsSenderFixture {
  sender: SmsSender
  /** The texts as the provider received them (its stand-in, the log, memory). */
  delivered: () => DeliveredText[]
  /** Makes the provider refuse the next sends with this HTTP status. */
  refuse: (status: number) => void
  /** Makes the provider take the next requests and never answer. */
  hang: () => void
  /** What the adapter wrote to the log, or said about itself, that the code must never be in. */
  logged: () => string
  /** Secrets the adapter holds: never in an error either. */
  secrets: string[]
  /** What the stand-in found wrong with the requests (a bad signature): none, checked after every case. */
  problems?: () => string[]
}

export interface SmsSenderTraits {
  /** How the provider sees SMS_TO (E.164, or national digits for Solapi) and the sender number it sees. */
  to: string
  from: string | null
  /** Deadline the adapter was made with; null for an adapter that makes no network call. */
  timeoutMs: number | null
  /** Why an adapter has no provider to refuse, hang or keep the text from the log: the case is skipped, not passed. */
  gaps?: { refuse?: string, hang?: string, log?: string }
}

async function assertUnavailable (t: Test, fixture: SmsSenderFixture, sending: Promise<void>) {
  const error = await sending.then(() => null, (error: unknown) => error)
  t.ok(error instanceof SmsUnavailableError, 'SmsUnavailableError')
  t.equal((error as SmsUnavailableError).code, 'sms_unavailable')
  const described = inspect(error, { depth: 10, showHidden: true })
  t.notOk(described.includes(SMS_CODE), 'the code is not in the error')
  for (const secret of fixture.secrets) t.notOk(described.includes(secret), 'no credential in the error')
  t.notOk(fixture.logged().includes(SMS_CODE), 'nor in the log')
}

/** A refusal or a hang must be the one asked for, not the stand-in turning down a badly signed request. */
function wellFormed (t: Test, fixture: SmsSenderFixture) {
  if (fixture.problems !== undefined) {
    t.same(fixture.problems(), [], 'the provider found nothing wrong with the requests')
  }
}

/**
 * One contract for every SmsSender: memory, log, Twilio and Solapi (against local stand-ins of
 * their HTTP APIs). A text reaches the provider once, with the number and sender it expects; a
 * refusal or a provider that does not answer is SmsUnavailableError within the deadline, and the
 * code is never in an error or the log.
 */
export function smsSenderContract (
  t: Test,
  traits: SmsSenderTraits,
  make: (t: Test) => Promise<SmsSenderFixture>
): void {
  const gaps = traits.gaps ?? {}

  t.test('the text reaches the provider with the number, sender and body', async t => {
    const fixture = await make(t)
    await fixture.sender.send(SMS_TO, SMS_BODY)
    t.same(fixture.delivered(), [{ to: traits.to, from: traits.from, body: SMS_BODY }])
    wellFormed(t, fixture)
  })

  t.test('the code is not written to the log', { skip: gaps.log ?? false }, async t => {
    const fixture = await make(t)
    await fixture.sender.send(SMS_TO, SMS_BODY)
    t.notOk(fixture.logged().includes(SMS_CODE))
    wellFormed(t, fixture)
  })

  for (const status of [400, 500]) {
    t.test(
      `a refusal (HTTP ${status}) is SmsUnavailableError, and nothing is delivered`,
      { skip: gaps.refuse ?? false },
      async t => {
        const fixture = await make(t)
        fixture.refuse(status)
        await assertUnavailable(t, fixture, fixture.sender.send(SMS_TO, SMS_BODY))
        t.same(fixture.delivered(), [])
        wellFormed(t, fixture)
      }
    )
  }

  t.test(
    'a provider that never answers is SmsUnavailableError within the deadline',
    { skip: gaps.hang ?? false },
    async t => {
      const fixture = await make(t)
      fixture.hang()
      const deadline = traits.timeoutMs ?? 0
      const started = performance.now()
      await assertUnavailable(t, fixture, fixture.sender.send(SMS_TO, SMS_BODY))
      const elapsed = performance.now() - started
      t.ok(
        elapsed >= deadline * 0.8 && elapsed < deadline + 1500,
        `rejected after ${Math.round(elapsed)} ms (deadline ${deadline} ms)`
      )
      wellFormed(t, fixture)
    }
  )
}
