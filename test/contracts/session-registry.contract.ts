import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { Clock } from '../../src/application/ports/system/clock.js'
import type { MemberSession, SessionRegistry } from '../../src/application/ports/shared-state/session-registry.js'

export interface SessionRegistryFixture { registry: SessionRegistry, clock: Clock }

/** One contract for every SessionRegistry adapter: memory and Redis. */
export function sessionRegistryContract (t: Test, make: (t: Test) => Promise<SessionRegistryFixture>): void {
  const session = (clock: Clock, userId: string, overrides: Partial<MemberSession> = {}): MemberSession => {
    const now = clock.now()
    return {
      id: randomUUID(),
      userId,
      device: 'MobileApp/1.0 (iPhone)',
      ip: '203.0.113.7',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
      ...overrides
    }
  }

  t.test('open, list newest first, touch, close one, close all', async (t) => {
    const { registry, clock } = await make(t)
    const userId = randomUUID()
    const now = clock.now()
    const first = session(clock, userId, { createdAt: new Date(now.getTime() - 2000) })
    const second = session(clock, userId, { createdAt: new Date(now.getTime() - 1000), device: null, ip: null })
    await registry.open(first)
    await registry.open(second)
    await registry.open(session(clock, randomUUID()))
    t.same((await registry.list(userId, now)).map((entry) => entry.id), [second.id, first.id])
    t.same((await registry.list(userId, now))[1], first, 'every field kept to the millisecond')

    const later = new Date(now.getTime() + 5000)
    await registry.touch(userId, first.id, {
      at: later,
      ip: '198.51.100.1',
      expiresAt: new Date(now.getTime() + 7_200_000)
    })
    const touched = (await registry.list(userId, now)).find((entry) => entry.id === first.id)!
    t.same(
      [touched.lastUsedAt.getTime(), touched.ip, touched.expiresAt.getTime()],
      [later.getTime(), '198.51.100.1', now.getTime() + 7_200_000]
    )
    await registry.touch(userId, first.id, { at: later, ip: null, expiresAt: new Date(now.getTime() + 1000) })
    t.equal(
      (await registry.list(userId, now)).find(entry => entry.id === first.id)!.expiresAt.getTime(),
      now.getTime() + 7_200_000,
      'an expiry never moves earlier'
    )

    t.same((await registry.close(userId, second.id, now))?.id, second.id)
    t.equal(await registry.close(userId, second.id, now), null, 'closed once')
    await registry.touch(userId, second.id, { at: later, ip: null })
    t.same(
      (await registry.list(userId, now)).map(entry => entry.id),
      [first.id],
      'a touch does not bring a closed session back'
    )
    t.equal(await registry.close(randomUUID(), first.id, now), null, 'another member cannot close it')
    await registry.closeAll(userId)
    t.same(await registry.list(userId, now), [])
  })

  t.test('an expired session is neither listed nor closable', async (t) => {
    const { registry, clock } = await make(t)
    const userId = randomUUID()
    const now = clock.now()
    const short = session(clock, userId, { expiresAt: new Date(now.getTime() + 1000) })
    const long = session(clock, userId)
    await registry.open(short)
    await registry.open(long)
    const after = new Date(now.getTime() + 2000)
    t.same((await registry.list(userId, after)).map((entry) => entry.id), [long.id])
    t.equal(await registry.close(userId, short.id, after), null)
  })

  t.test('twenty parallel opens of one member all land', async (t) => {
    const { registry, clock } = await make(t)
    const userId = randomUUID()
    await Promise.all(Array.from({ length: 20 }, () => registry.open(session(clock, userId))))
    t.equal((await registry.list(userId, clock.now())).length, 20)
  })
}
