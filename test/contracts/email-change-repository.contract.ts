import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError } from '../../src/domain/errors.js'
import type { PhoneNumber } from '../../src/domain/user.js'
import { uniqueSuffix } from '../helpers/services.js'
import { emailUser, phoneUser, type MakeUserStores } from './user-stores-fixture.js'

/**
 * One contract for every EmailChangeRepository adapter: memory, PGlite, PostgreSQL, and PostgreSQL behind the
 * Redis account cache.
 */
export function emailChangeRepositoryContract (t: Test, make: MakeUserStores): void {
  t.test(
    'a staged email confirmed (with its password), the current email verified',
    async t => {
      const { accounts, emailChanges, catalog } = await make(t)
      const member = phoneUser(catalog)
      const other = emailUser()
      await accounts.create(member)
      await accounts.create(other)
      t.equal((await accounts.findById(member.id))?.emailVerifiedAt, null)
      t.equal(await emailChanges.confirmEmail(member.id, new Date()), null, 'no address to verify')

      await t.rejects(
        emailChanges.stageEmail(member.id, other.email!, 'hash-new'),
        new DuplicateValueError('email'),
        'an address another account holds'
      )
      const wanted = `moved-${uniqueSuffix()}@example.com`
      t.equal(await emailChanges.stageEmail(member.id, wanted, 'hash-new'), true)
      t.equal(await emailChanges.findPendingEmail(member.id), wanted)
      t.equal((await accounts.findById(member.id))?.email, null, 'nothing moves before the code')
      const at = new Date('2026-06-01T09:00:00.250Z')
      t.same(await emailChanges.confirmEmail(member.id, at), { email: wanted, previous: null })
      const moved = await accounts.findByEmail(wanted)
      t.equal(moved?.id, member.id)
      t.equal(moved?.passwordHash, 'hash-new', 'the staged password became theirs')
      t.equal(moved?.emailVerifiedAt?.toISOString(), at.toISOString())
      t.equal(await emailChanges.findPendingEmail(member.id), null)

      const again = `again-${uniqueSuffix()}@example.com`
      await emailChanges.stageEmail(member.id, again, null)
      t.same(await emailChanges.confirmEmail(member.id, at), { email: again, previous: wanted })
      t.equal((await accounts.findById(member.id))?.passwordHash, 'hash-new', 'no staged password: the old one stays')
      t.same(
        await emailChanges.confirmEmail(other.id, at),
        { email: other.email, previous: null },
        'the current address verified'
      )
      const third = emailUser()
      await accounts.create(third)
      await emailChanges.stageEmail(third.id, `pending-${uniqueSuffix()}@example.com`, null)
      await emailChanges.markEmailVerified(third.id, at)
      t.equal(
        (await accounts.findById(third.id))?.emailVerifiedAt?.toISOString(),
        at.toISOString(),
        'the current address marked verified'
      )
      t.equal((await accounts.findById(third.id))?.email, third.email, 'while the pending change keeps waiting')
      t.ok(await emailChanges.findPendingEmail(third.id))

      const taken = `taken-${uniqueSuffix()}@example.com`
      await emailChanges.stageEmail(member.id, taken, null)
      await accounts.create(emailUser({ email: taken }))
      await t.rejects(
        emailChanges.confirmEmail(member.id, at),
        new DuplicateValueError('email'),
        'taken since it was staged'
      )
      t.equal((await accounts.findById(member.id))?.email, again, 'nothing changed')
    }
  )

  t.test('the owner of an unproven address claims the account: the number and a waiting change go, once', async (t) => {
    const { accounts, emailChanges } = await make(t)
    const at = new Date('2026-03-01T10:00:00.000Z')
    const claimed = emailUser()
    await accounts.create(claimed)
    const number = `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
    t.equal(await accounts.setMobile(claimed.id, number), true)
    const waiting = `waiting-${uniqueSuffix()}@example.com`
    await emailChanges.stageEmail(claimed.id, waiting, 'staged-hash')
    t.same(
      await emailChanges.claimByEmail(claimed.id, at),
      { removedMobile: number, removedPendingEmail: waiting },
      'what it removed'
    )
    const after = await accounts.findById(claimed.id)
    t.equal(after?.mobile, null, 'the number is gone')
    t.equal(after?.emailVerifiedAt?.toISOString(), at.toISOString(), 'the address is proven')
    t.equal(after?.email, claimed.email, 'and still the account\'s')
    t.equal(await emailChanges.findPendingEmail(claimed.id), null, 'the waiting change is gone')
    t.equal(await accounts.findByMobile(number), null, 'nobody signs in with the number')
    t.equal((await accounts.findCard(claimed.id))?.mobile, null, 'the card shows no number')

    t.equal(await accounts.setMobile(claimed.id, number), true, 'the owner adds a number afterwards')
    t.same(
      await emailChanges.claimByEmail(claimed.id, new Date(at.getTime() + 1000)),
      { removedMobile: null, removedPendingEmail: null },
      'a proven address claims nothing again'
    )
    t.equal((await accounts.findById(claimed.id))?.mobile, number, 'the owner\'s number stays')
    t.equal(
      (await accounts.findById(claimed.id))?.emailVerifiedAt?.toISOString(),
      at.toISOString(),
      "the first proof's instant stays"
    )
    t.equal(await emailChanges.claimByEmail(randomUUID(), at), null, 'no such member')
  })
}
