import type { Test } from 'tap'
import type { PushMessage, PushOutcome, PushSender } from '../../src/application/ports/outbound/push-sender.js'
import { uniqueSuffix } from '../helpers/services.js'

export interface PushSenderFixture {
  sender: PushSender
  /** How many device sends the adapter made so far, counted where it hands them on (vendor, log, memory). */
  devicesReached: () => number
}

export const pushMessage = (overrides: Partial<PushMessage> = {}): PushMessage => ({
  title: '새 메시지',
  body: 'You have a new match',
  data: { kind: 'match', matchId: uniqueSuffix() },
  ...overrides
})

/** Device tokens of this test's own, shaped like FCM's (long, with a colon). */
export const deviceTokens = (count: number): string[] =>
  Array.from({ length: count }, () => `${uniqueSuffix()}:APA91b${uniqueSuffix()}${uniqueSuffix()}`)

/** Every token in exactly one of delivered / dead / failed, and no token that was not asked for. */
function assertAccounted (t: Test, outcome: PushOutcome, tokens: string[]): void {
  const distinct = new Set(tokens)
  const reported = [...outcome.deadTokens, ...outcome.failedTokens]
  t.equal(new Set(reported).size, reported.length, 'no token reported twice')
  t.ok(reported.every((token) => distinct.has(token)), 'only tokens that were asked for')
  t.equal(outcome.delivered + reported.length, distinct.size, 'every token accounted for once')
}

/**
 * One contract for every PushSender adapter: FCM (over a messaging object that accepts every
 * token), log and memory. Decision shared by all: a token listed twice is one device, so it is
 * sent once and counted once; a caller need not deduplicate.
 */
export function pushSenderContract (t: Test, make: (t: Test) => Promise<PushSenderFixture>): void {
  t.test('each of N tokens is delivered and counted once', async (t) => {
    const { sender, devicesReached } = await make(t)
    const tokens = deviceTokens(7)
    const outcome = await sender.send(tokens, pushMessage())
    t.same(outcome, { delivered: 7, deadTokens: [], failedTokens: [] })
    assertAccounted(t, outcome, tokens)
    t.equal(devicesReached(), 7)
  })

  t.test('an empty list sends nothing and answers zeros', async (t) => {
    const { sender, devicesReached } = await make(t)
    t.same(await sender.send([], pushMessage()), { delivered: 0, deadTokens: [], failedTokens: [] })
    t.equal(devicesReached(), 0)
  })

  t.test('a token listed twice is sent once', async (t) => {
    const { sender, devicesReached } = await make(t)
    const [a, b, c] = deviceTokens(3) as [string, string, string]
    const outcome = await sender.send([a, b, a, c, b, a], pushMessage())
    t.same(outcome, { delivered: 3, deadTokens: [], failedTokens: [] })
    assertAccounted(t, outcome, [a, b, c])
    t.equal(devicesReached(), 3)
  })

  t.test('the caller\'s token list and message are left as they were', async (t) => {
    const { sender } = await make(t)
    const tokens = deviceTokens(3)
    const message = pushMessage()
    const [tokensBefore, messageBefore] = [[...tokens], structuredClone(message)]
    await sender.send(tokens, message)
    t.same(tokens, tokensBefore)
    t.same(message, messageBefore)
  })

  t.test('parallel sends are each accounted for', async (t) => {
    const { sender, devicesReached } = await make(t)
    const batches = Array.from({ length: 5 }, (_, i) => deviceTokens(i + 1))
    const outcomes = await Promise.all(batches.map((tokens) => sender.send(tokens, pushMessage())))
    outcomes.forEach((outcome, i) => assertAccounted(t, outcome, batches[i]!))
    t.same(outcomes.map((outcome) => outcome.delivered), [1, 2, 3, 4, 5])
    t.equal(devicesReached(), 15)
  })
}
