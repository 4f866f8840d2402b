import type { Test } from 'tap'
import type { MemberPresence } from '../../src/application/ports/shared-state/member-presence.js'
import { uniqueSuffix } from '../helpers/services.js'

const MINUTE = 60_000

/**
 * What the member page's "who else is here" relies on, for every adapter. `now` is the clock the
 * marks are stamped with; `advance` moves it and whatever the store expires by.
 */
export function memberPresenceContract (
  t: Test,
  make: (t: Test) => Promise<{ presence: MemberPresence, now: () => Date, advance: (ms: number) => Promise<void> }>
): void {
  const ann = { staffId: `ann-${uniqueSuffix()}`, email: 'ann@staff.test' }
  const bob = { staffId: `bob-${uniqueSuffix()}`, email: 'bob@staff.test' }

  t.test('each staff member once, with their latest opening, newest first', async (t) => {
    const { presence, now, advance } = await make(t)
    const member = `member-${uniqueSuffix()}`
    const first = now()
    await presence.mark(member, ann, first, 5 * MINUTE)
    await advance(1000)
    const second = now()
    await presence.mark(member, bob, second, 5 * MINUTE)
    await advance(1000)
    const third = now()
    await presence.mark(member, ann, third, 5 * MINUTE)
    const marks = await presence.recent(member, first)
    t.same(
      marks.map(mark => ({ ...mark, at: mark.at.getTime() })),
      [
        { ...ann, at: third.getTime() },
        { ...bob, at: second.getTime() }
      ]
    )
    t.same(await presence.recent(`member-${uniqueSuffix()}`, first), [], 'another member has none')
  })

  t.test('a mark older than `since` is not answered; one past its life is gone', async (t) => {
    const { presence, now, advance } = await make(t)
    const member = `member-${uniqueSuffix()}`
    const opened = now()
    await presence.mark(member, ann, opened, 1000)
    t.same(await presence.recent(member, new Date(opened.getTime() + 1)), [], 'before since')
    t.equal((await presence.recent(member, opened)).length, 1)
    await advance(1500)
    t.same(await presence.recent(member, opened), [], 'expired with its life')
  })
}
