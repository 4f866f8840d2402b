import { readFile } from 'node:fs/promises'
import t from 'tap'
import { createMemoryHitCounter } from '../../src/adapters/memory/memory-hit-counter.js'
import { createMemoryKnownClients } from '../../src/adapters/memory/memory-known-clients.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { makeAbuseLimits, type AbuseSettings, type GuessTarget } from '../../src/application/security/abuse-limits.js'
import { UNDO_GUESSES } from '../../src/application/members/sign-in-undo.js'
import { RetryLaterError } from '../../src/domain/errors.js'
import { ManualClock } from '../helpers/manual-clock.js'

const DAY_MS = 86_400_000

/**
 * The worst day the configured limits allow an attacker holding any number of addresses (none of
 * them the member's own), played out on the real limits and a clock: each guess or code request
 * is made the moment the limits would let it through, from a fresh address every time, for 24
 * hours. What gets through is the budget docs/security.md must state.
 */
async function worstDay (
  settings: AbuseSettings,
  act: (limits: ReturnType<typeof makeAbuseLimits>, client: string) => Promise<unknown>,
  sameClient = false
): Promise<number> {
  const clock = new ManualClock()
  const limits = makeAbuseLimits({
    hits: createMemoryHitCounter(clock),
    known: createMemoryKnownClients(clock),
    settings
  })
  const end = clock.now().getTime() + DAY_MS
  let passed = 0
  for (let i = 0; clock.now().getTime() < end; i++) {
    const client = sameClient ? '203.0.113.9' : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
    try {
      await act(limits, client)
      passed++
    } catch (error) {
      if (!(error instanceof RetryLaterError)) throw error
      clock.advance(error.retryAfterSeconds * 1000) // as soon as Retry-After allows, not a second later
    }
  }
  return passed
}

const wrongPassword = (target: GuessTarget) => (limits: ReturnType<typeof makeAbuseLimits>, client: string) =>
  limits.guard(target, client, async () => false)
const codeRequest = (limits: ReturnType<typeof makeAbuseLimits>, client: string) =>
  limits.admitCode('tel:+821055550000', client)

t.test('docs/security.md states the guess budgets the configured defaults allow', async (t) => {
  const config = loadConfig({})
  const settings = config.rateLimits
  const perCode = 2 * config.otp.maxTries // the network that asked, and everyone else
  const passwordAnyAddresses = await worstDay(settings, wrongPassword('mail:member@example.com'))
  const passwordOneAddress = await worstDay(settings, wrongPassword('mail:member@example.com'), true)
  const codesAnyAddresses = await worstDay(settings, codeRequest)
  const codeGuesses = codesAnyAddresses * perCode
  const undoGuesses = await worstDay(settings, wrongPassword(UNDO_GUESSES))

  const doc = await readFile(new URL('../../docs/security.md', import.meta.url), 'utf8')
  const budget = (name: string): number =>
    Number(new RegExp(`<!-- budget:${name} -->\\*\\*([\\d,]+)\\*\\*`).exec(doc)?.[1]?.replace(/,/g, '') ?? NaN)
  t.equal(
    budget('password-any-addresses'),
    passwordAnyAddresses,
    `wrong passwords a day at one account from any number of addresses: ${passwordAnyAddresses}`
  )
  t.equal(budget('password-one-address'), passwordOneAddress, `from one address: ${passwordOneAddress}`)
  t.equal(
    budget('codes-any-addresses'),
    codesAnyAddresses,
    `codes a day to one number at strangers' request: ${codesAnyAddresses}`
  )
  t.equal(budget('code-guesses'), codeGuesses, `code guesses a day at one number: ${codeGuesses}`)
  t.equal(budget('code-tries'), perCode, `tries per code, both sides: ${perCode}`)
  t.equal(budget('undo-guesses'), undoGuesses, `undo code guesses a day, every member's together: ${undoGuesses}`)
})

t.test('the simulation reads the settings: a shorter longest delay lets more through', async (t) => {
  const settings = loadConfig({}).rateLimits
  const tighter = { ...settings, guesses: { ...settings.guesses, perTarget: 10, maxDelaySeconds: 150 } }
  const looser = await worstDay(settings, wrongPassword('mail:a@example.com'))
  const tight = await worstDay(tighter, wrongPassword('mail:a@example.com'))
  t.ok(
    tight > looser,
    `a shorter longest delay lets more through (${tight} > ${looser}): the simulation reads the settings`
  )
  t.ok(
    looser <= settings.guesses.perTarget + 20 + DAY_MS / (settings.guesses.maxDelaySeconds * 1000),
    'within the free guesses, the climb of the delays and one per longest delay'
  )
})
