import { randomBytes } from 'node:crypto'
import type { Test } from 'tap'
import type { UndoKind, UndoRecord, UndoStore } from '../../src/application/ports/records/undo-store.js'

/** A store, and a way to make a member its records may belong to (SQL holds the foreign key). */
export interface UndoStoreFixture { undos: UndoStore, member (): Promise<string> }

const DAY_MS = 86_400_000
const T0 = Date.parse('2026-03-01T09:00:00.000Z')
const at = (ms: number): Date => new Date(T0 + ms)
const hash = (): string => randomBytes(32).toString('hex')

function undo (userId: string, overrides: Partial<UndoRecord> = {}): UndoRecord {
  return {
    userId,
    kind: 'mobile',
    previous: '+821012345678',
    createdAt: at(0),
    expiresAt: at(7 * DAY_MS),
    ...overrides
  }
}

/** One contract for every UndoStore adapter: memory, PGlite, PostgreSQL. */
export function undoStoreContract (t: Test, make: (t: Test) => Promise<UndoStoreFixture>): void {
  t.test('a code is taken once, answering its record as it was kept', async (t) => {
    const { undos, member } = await make(t)
    const code = hash()
    const kept = undo(await member(), {
      kind: 'email',
      previous: 'old.address@example.com',
      createdAt: at(123),
      expiresAt: at(7 * DAY_MS + 123)
    })
    await undos.record(code, kept)
    t.same(await undos.take(code, at(1000)), kept)
    t.equal(await undos.take(code, at(2000)), null, 'a second take: nothing')
    t.equal(await undos.take(hash(), at(2000)), null, 'a hash never recorded: nothing')
  })

  t.test('a code lives until its expiry, not at it', async (t) => {
    const { undos, member } = await make(t)
    const userId = await member()
    const [late, onTime] = [hash(), hash()]
    await undos.record(late, undo(userId, { kind: 'email', previous: 'a@example.com' }))
    await undos.record(onTime, undo(userId))
    t.equal(await undos.take(late, at(7 * DAY_MS)), null, 'at the expiry instant')
    t.ok(await undos.take(onTime, at(7 * DAY_MS - 1)), 'a millisecond before')
  })

  t.test('a released code can be taken again', async (t) => {
    const { undos, member } = await make(t)
    const code = hash()
    await undos.record(code, undo(await member()))
    t.ok(await undos.take(code, at(1)))
    await undos.release(code)
    t.ok(await undos.take(code, at(2)), 'given back: taken again')
    await undos.release(hash()) // an unknown code: nothing to give back, and no failure
  })

  t.test('taking a code voids the later codes of that member and method, and nothing else', async (t) => {
    const { undos, member } = await make(t)
    const [owner, other] = [await member(), await member()]
    const codes: Record<string, [string, UndoRecord]> = {
      first: [hash(), undo(owner, { createdAt: at(10) })],
      sameInstant: [hash(), undo(owner, { createdAt: at(20) })],
      taken: [hash(), undo(owner, { createdAt: at(20) })],
      later: [hash(), undo(owner, { createdAt: at(30), previous: '+821099998888' })],
      email: [hash(), undo(owner, { kind: 'email' as UndoKind, previous: 'x@example.com', createdAt: at(40) })],
      otherMember: [hash(), undo(other, { createdAt: at(50) })]
    }
    for (const [code, record] of Object.values(codes)) await undos.record(code, record)
    t.ok(await undos.take(codes.taken![0], at(100)))
    t.equal(await undos.take(codes.later![0], at(101)), null, 'a later change of the number: void')
    t.equal(
      await undos.take(codes.sameInstant![0], at(101)),
      null,
      'one recorded in the same millisecond: void too (when in doubt, later)'
    )
    t.ok(await undos.take(codes.first![0], at(102)), 'an earlier one still goes further back')
    t.ok(await undos.take(codes.email![0], at(103)), 'the email\'s codes are another history')
    t.ok(await undos.take(codes.otherMember![0], at(104)), 'another member\'s are theirs')
  })

  t.test('twenty parallel takes of one code: exactly one gets the record', async (t) => {
    const { undos, member } = await make(t)
    const code = hash()
    const kept = undo(await member())
    await undos.record(code, kept)
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => undos.take(code, at(1000 + i))))
    const won = results.filter((result) => result !== null)
    t.equal(won.length, 1)
    t.same(won[0], kept)
  })

  t.test('purge forgets the records that expired, used or not, and keeps the live ones', async (t) => {
    const { undos, member } = await make(t)
    const userId = await member()
    const [expired, usedExpired, live] = [hash(), hash(), hash()]
    await undos.record(expired, undo(userId, { expiresAt: at(DAY_MS) }))
    await undos.record(usedExpired, undo(userId, { kind: 'email', previous: 'old@example.com', expiresAt: at(DAY_MS) }))
    await undos.take(usedExpired, at(1000))
    await undos.record(live, undo(userId, { createdAt: at(2 * DAY_MS), expiresAt: at(9 * DAY_MS) }))
    t.equal(await undos.purge(at(3 * DAY_MS)), 2)
    t.equal(await undos.take(expired, at(1000)), null, 'gone, not merely expired')
    t.same(
      await undos.take(live, at(3 * DAY_MS)),
      undo(userId, { createdAt: at(2 * DAY_MS), expiresAt: at(9 * DAY_MS) }),
      'the live one stays'
    )
  })
}
