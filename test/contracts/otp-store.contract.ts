import { randomBytes, randomInt, randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { OtpCheckOptions, OtpIssueOptions, OtpStore } from '../../src/application/ports/shared-state/otp-store.js'
import {
  emailVerificationSubject,
  mobileChangeSubject,
  passwordResetSubject,
  signInSubject,
  type CodeSubject
} from '../../src/domain/code-subject.js'
import type { PhoneNumber } from '../../src/domain/user.js'

export interface OtpFixture { store: OtpStore, advance (ms: number): Promise<void> }

// Windows are short because the Redis run waits in real time; expiries are awaited with 200 ms to
// spare, so whole-second TTLs pass on both clocks.
const SLACK_MS = 200
// The network that asked for the codes below, and one that did not.
const OWNER = '198.51.100.0/24'
const LONG: OtpIssueOptions = { ttlSeconds: 60, cooldownSeconds: 1, owner: OWNER, replaceOthers: false }
const TRIES: OtpCheckOptions = { maxTries: 5, client: OWNER }
const STRANGER: OtpCheckOptions = { maxTries: 5, client: '203.0.113.0/24' }

const newPhone = (): PhoneNumber => `+8210${randomInt(10_000_000, 100_000_000)}` as PhoneNumber
const newHash = (): string => randomBytes(32).toString('hex')
const newEmail = (): string => `member-${randomBytes(6).toString('hex')}@example.com`
const newUserId = (): string => randomUUID()

/**
 * Pairs of subjects that must never meet, the closest there are: one number's sign-in codes and a
 * member's move to that same number; a reset and a verification of one address; two addresses that
 * differ only after a `}` (Redis hashes a key only up to it) and one with a `{`.
 */
function neighbouringSubjects (): Array<[string, CodeSubject, CodeSubject]> {
  const phone = newPhone()
  const email = newEmail()
  const userId = newUserId()
  const braced = `a}${randomBytes(6).toString('hex')}`
  return [
    ['sign-in and a move to the same number', signInSubject(phone), mobileChangeSubject(userId, phone)],
    ['a reset and a verification of one address', passwordResetSubject(email), emailVerificationSubject(userId, email)],
    [
      'two addresses alike up to a }',
      passwordResetSubject(`${braced}b@example.com`),
      passwordResetSubject(`${braced}c@example.com`)
    ],
    [
      'an address with a { and the verification of the same',
      passwordResetSubject(`x{${email}`),
      emailVerificationSubject(userId, `x{${email}`)
    ]
  ]
}

/** One contract for every OtpStore adapter: memory and Redis. */
export function otpStoreContract (t: Test, make: (t: Test) => Promise<OtpFixture>): void {
  t.test('withdrawing a code removes it and its cooldown, but never a newer code', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const first = newHash()
    t.equal(
      await store.issue(phone, first, { ttlSeconds: 60, cooldownSeconds: 60, owner: OWNER, replaceOthers: false }),
      0
    )
    await store.withdraw(phone, first)
    t.equal(await store.check(phone, first, TRIES), 'none', 'the withdrawn code is gone')
    const second = newHash()
    t.equal(
      await store.issue(phone, second, { ttlSeconds: 60, cooldownSeconds: 60, owner: OWNER, replaceOthers: false }),
      0,
      'no cooldown left'
    )
    await store.withdraw(phone, first)
    t.ok(
      (await store.issue(phone, newHash(), {
        ttlSeconds: 60,
        cooldownSeconds: 60,
        owner: OWNER,
        replaceOthers: false
      })) > 0,
      'withdrawing an old code keeps the new cooldown'
    )
    t.equal(await store.check(phone, second, TRIES), 'ok', 'and the new code')
  })

  t.test('a code verifies once; a number never issued has none', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    t.equal(await store.check(phone, code, TRIES), 'none')
    t.equal(await store.issue(phone, code, LONG), 0)
    t.equal(await store.check(phone, code, TRIES), 'ok')
    t.equal(await store.check(phone, code, TRIES), 'none')
  })

  t.test('a wrong code answers wrong and the right code still works', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    t.equal(await store.check(phone, newHash(), TRIES), 'wrong')
    t.equal(await store.check(phone, code, TRIES), 'ok')
  })

  t.test('the wrong try that reaches maxTries voids the code; void lasts until a new code', async (t) => {
    const { store, advance } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    for (let i = 1; i < 5; i++) t.equal(await store.check(phone, newHash(), TRIES), 'wrong', `try ${i}`)
    t.equal(await store.check(phone, newHash(), TRIES), 'void', 'try 5')
    t.equal(await store.check(phone, code, TRIES), 'void', 'the right code after the last try')
    await advance(LONG.cooldownSeconds * 1000 + SLACK_MS)
    const fresh = newHash()
    t.equal(await store.issue(phone, fresh, LONG), 0)
    for (let i = 1; i < 5; i++) t.equal(await store.check(phone, newHash(), TRIES), 'wrong', `try ${i} of the new code`)
    t.equal(await store.check(phone, fresh, TRIES), 'ok', 'a new code gets fresh tries')
  })

  t.test('a void code answers void until it would have expired, then none', async (t) => {
    const { store, advance } = await make(t)
    const phone = newPhone()
    await store.issue(phone, newHash(), { ttlSeconds: 1, cooldownSeconds: 1, owner: OWNER, replaceOthers: false })
    for (let i = 1; i < 5; i++) await store.check(phone, newHash(), TRIES)
    t.equal(await store.check(phone, newHash(), TRIES), 'void')
    await advance(1000 + SLACK_MS)
    t.equal(await store.check(phone, newHash(), TRIES), 'none')
  })

  t.test('a refused request never costs the member the code they hold', async (t) => {
    const { store, advance } = await make(t)
    const phone = newPhone()
    const live = newHash()
    t.equal(
      await store.issue(phone, live, { ttlSeconds: 2, cooldownSeconds: 1, owner: OWNER, replaceOthers: false }),
      0
    )
    for (let i = 1; i <= 3; i++) {
      t.equal(await store.check(phone, newHash(), TRIES), 'wrong', `try ${i} of the held code`)
    }
    await advance(1000 + SLACK_MS)
    const refused = newHash()
    t.equal(
      await store.issue(phone, refused, { ttlSeconds: 60, cooldownSeconds: 60, owner: OWNER, replaceOthers: false }),
      0,
      'a second code is issued past the cooldown'
    )
    await store.withdraw(phone, refused) // its text was refused (a cap) or failed (the provider)
    t.equal(
      await store.check(phone, refused, TRIES),
      'wrong',
      'the withdrawn code is not live; the held one counts the try'
    )
    t.equal(await store.check(phone, live, TRIES), 'ok', 'the held code is live again, its tries kept (4 of 5 used)')
    const expiring = newHash()
    t.equal(
      await store.issue(phone, expiring, { ttlSeconds: 1, cooldownSeconds: 0, owner: OWNER, replaceOthers: false }),
      0
    )
    const other = newHash()
    t.equal(
      await store.issue(phone, other, { ttlSeconds: 60, cooldownSeconds: 0, owner: OWNER, replaceOthers: false }),
      0
    )
    await advance(1000 + SLACK_MS)
    await store.withdraw(phone, other)
    t.equal(
      await store.check(phone, expiring, TRIES),
      'none',
      'a code put back keeps its own life: this one has expired'
    )
  })

  t.test('an ok clears the count of wrong tries', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const noCooldown: OtpIssueOptions = { ttlSeconds: 60, cooldownSeconds: 0, owner: OWNER, replaceOthers: false }
    const first = newHash()
    await store.issue(phone, first, noCooldown)
    for (let i = 1; i < 5; i++) t.equal(await store.check(phone, newHash(), TRIES), 'wrong', `try ${i}`)
    t.equal(await store.check(phone, first, TRIES), 'ok')
    const second = newHash()
    t.equal(await store.issue(phone, second, noCooldown), 0, 'no cooldown: issued at once')
    for (let i = 1; i < 5; i++) t.equal(await store.check(phone, newHash(), TRIES), 'wrong', `try ${i} after the ok`)
    t.equal(await store.check(phone, second, TRIES), 'ok')
  })

  t.test('within the cooldown an issue answers the whole seconds to wait and keeps the code', async (t) => {
    const { store, advance } = await make(t)
    const phone = newPhone()
    const options: OtpIssueOptions = { ttlSeconds: 60, cooldownSeconds: 2, owner: OWNER, replaceOthers: false }
    const code = newHash()
    const other = newHash()
    t.equal(await store.issue(phone, code, options), 0)
    const wait = await store.issue(phone, other, options)
    t.ok(wait >= 1 && wait <= options.cooldownSeconds, `waits ${wait} s`)
    t.equal(wait, 2, 'rounded up: just under 2 s left')
    await advance(1000 + SLACK_MS)
    t.equal(await store.issue(phone, other, options), 1, 'rounded up: under 1 s left')
    t.equal(await store.check(phone, other, TRIES), 'wrong', 'the refused code was not stored')
    t.equal(await store.check(phone, code, TRIES), 'ok', 'the first code is still live')
  })

  t.test('after the cooldown a new issue replaces the old code', async (t) => {
    const { store, advance } = await make(t)
    const phone = newPhone()
    const old = newHash()
    await store.issue(phone, old, LONG)
    await advance(LONG.cooldownSeconds * 1000 + SLACK_MS)
    const fresh = newHash()
    t.equal(await store.issue(phone, fresh, LONG), 0)
    t.equal(await store.check(phone, old, TRIES), 'wrong')
    t.equal(await store.check(phone, fresh, TRIES), 'ok')
  })

  t.test('a code expires after ttlSeconds', async (t) => {
    const { store, advance } = await make(t)
    const phone = newPhone()
    const code = newHash()
    const options: OtpIssueOptions = { ttlSeconds: 1, cooldownSeconds: 1, owner: OWNER, replaceOthers: false }
    await store.issue(phone, code, options)
    await advance(options.ttlSeconds * 1000 + SLACK_MS)
    t.equal(await store.check(phone, code, TRIES), 'none')
  })

  t.test('two subjects never meet: each has its own code, cooldown and tries', async (t) => {
    const { store } = await make(t)
    for (const [name, a, b] of neighbouringSubjects()) {
      t.test(name, async (t) => {
        const options: OtpIssueOptions = { ttlSeconds: 60, cooldownSeconds: 60, owner: OWNER, replaceOthers: false }
        const codeA = newHash()
        const codeB = newHash()
        t.equal(await store.issue(a, codeA, options), 0)
        t.equal(await store.issue(b, codeB, options), 0, 'the cooldown of one is not the other\'s')
        await store.withdraw(a, codeB) // the other's live hash, named under this subject
        t.equal(await store.check(a, codeB, TRIES), 'wrong', 'the other subject\'s code is a wrong try here')
        for (let i = 2; i < 5; i++) await store.check(a, newHash(), TRIES)
        t.equal(await store.check(a, newHash(), TRIES), 'void', 'five wrong tries void the first subject\'s code')
        t.equal(
          await store.check(b, codeB, TRIES),
          'ok',
          'the other code survived the withdraw, kept its tries and is live'
        )
        t.equal(await store.check(b, codeB, TRIES), 'none', 'and is used once')
        t.equal(await store.check(a, codeA, TRIES), 'void', 'using it did not touch the first')
        t.ok(await store.issue(b, newHash(), options) > 0, 'the other\'s cooldown stands too')
      })
    }
  })

  t.test('codes of many subjects issued and checked at once each verify only under their own subject', async (t) => {
    const { store } = await make(t)
    const subjects = neighbouringSubjects().flatMap(([, a, b]) => [a, b])
    const codes = subjects.map(() => newHash())
    t.same(
      await Promise.all(subjects.map((subject, i) => store.issue(subject, codes[i]!, LONG))),
      subjects.map(() => 0)
    )
    // Each subject is first offered its neighbour's code (a wrong try), then its own.
    const crossed = await Promise.all(subjects.map((subject, i) => store.check(subject, codes[i ^ 1]!, TRIES)))
    t.same(crossed, subjects.map(() => 'wrong'))
    const own = await Promise.all(subjects.map((subject, i) => store.check(subject, codes[i]!, TRIES)))
    t.same(own, subjects.map(() => 'ok'))
  })

  t.test('twenty parallel checks of the right code: exactly one ok', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    const results = await Promise.all(Array.from({ length: 20 }, () => store.check(phone, code, TRIES)))
    t.equal(results.filter((r) => r === 'ok').length, 1)
    t.equal(results.filter((r) => r === 'none').length, 19)
  })

  t.test('twenty parallel wrong checks: every try counted, four wrong then void', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    const results = await Promise.all(Array.from({ length: 20 }, () => store.check(phone, newHash(), TRIES)))
    t.equal(results.filter((r) => r === 'wrong').length, 4)
    t.equal(results.filter((r) => r === 'void').length, 16)
    t.equal(await store.check(phone, code, TRIES), 'void')
  })

  t.test('a code belongs to the network that asked for it: strangers\' tries never void it', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    for (let i = 1; i < 5; i++) t.equal(await store.check(phone, newHash(), STRANGER), 'wrong', `a stranger's try ${i}`)
    t.equal(await store.check(phone, newHash(), STRANGER), 'void', 'the strangers\' fifth try voids their side')
    t.equal(
      await store.check(phone, code, STRANGER),
      'void',
      'a void side compares no more: not even the right code passes'
    )
    t.equal(
      await store.check(phone, code, { maxTries: 5, client: '192.0.2.0/24' }),
      'void',
      'every other network shares that side'
    )
    t.equal(await store.check(phone, newHash(), TRIES), 'wrong', 'the owner still has all its tries')
    t.equal(await store.check(phone, code, TRIES), 'ok', 'and its code')
  })

  t.test('the owner\'s own tries void only the owner\'s side', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    for (let i = 1; i < 5; i++) await store.check(phone, newHash(), TRIES)
    t.equal(await store.check(phone, newHash(), TRIES), 'void')
    t.equal(await store.check(phone, code, TRIES), 'void', 'the owner is done with this code')
    t.equal(
      await store.check(phone, newHash(), STRANGER),
      'wrong',
      "the others' side is apart: at most twice maxTries a code in all"
    )
  })

  t.test('twenty parallel wrong checks from strangers: four wrong, then void; the owner\'s code stands', async (t) => {
    const { store } = await make(t)
    const phone = newPhone()
    const code = newHash()
    await store.issue(phone, code, LONG)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.check(phone, newHash(), { maxTries: 5, client: `10.${i}.0.0/24` }))
    )
    t.equal(results.filter((r) => r === 'wrong').length, 4)
    t.equal(results.filter((r) => r === 'void').length, 16)
    t.equal(await store.check(phone, code, TRIES), 'ok')
  })

  t.test(
    "a live code is replaced only from the network that asked for it, or by a request that may replace others'",
    async t => {
      const { store, advance } = await make(t)
      const phone = newPhone()
      const mine = newHash()
      const options = { ttlSeconds: 2, cooldownSeconds: 0, owner: OWNER, replaceOthers: false }
      t.equal(await store.issue(phone, mine, options), 0)
      const wait = await store.issue(phone, newHash(), { ...options, owner: '203.0.113.0/24' })
      t.ok(wait >= 1 && wait <= 2, `a stranger's request waits for the live code to end (${wait} s)`)
      t.equal(await store.check(phone, mine, TRIES), 'ok', "and the member's code stands")
      t.equal(
        await store.issue(phone, newHash(), { ...options, owner: '203.0.113.0/24' }),
        0,
        'with no live code, anyone may ask'
      )
      const strangers = newHash()
      t.equal(
        await store.issue(phone, strangers, { ...options, owner: '203.0.113.0/24' }),
        0,
        'the owner network replaces its own code'
      )
      const known = newHash()
      t.equal(
        await store.issue(phone, known, { ...options, replaceOthers: true }),
        0,
        "a request that may replace others' (a known client's) does"
      )
      t.equal(await store.check(phone, strangers, TRIES), 'wrong', "the stranger's code is gone")
      t.equal(
        (await store.issue(phone, newHash(), { ...options, owner: '192.0.2.0/24' })) > 0,
        true,
        "and the known client's code is as safe from strangers"
      )
      await advance(2000 + SLACK_MS)
      t.equal(
        await store.issue(phone, newHash(), { ...options, owner: '192.0.2.0/24' }),
        0,
        'once it expired, anyone may ask'
      )
      t.equal(await store.check(phone, known, TRIES), 'wrong', 'the expired code is not live again')
    }
  )
}
