import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { emailUser, phoneUser, recordDecisionOn, type MakeUserStores } from './user-stores-fixture.js'

/**
 * One contract for every FileDeletionQueue adapter: memory, PGlite, PostgreSQL, and PostgreSQL behind the
 * Redis account cache.
 */
export function fileDeletionQueueContract (t: Test, make: MakeUserStores): void {
  t.test('deleted members\' files stay queued until the store confirms their deletion', async (t) => {
    const { accounts, fileDeletions, catalog } = await make(t)
    const first = phoneUser(catalog)
    const second = phoneUser(catalog, { verificationFiles: [] })
    await accounts.create(first)
    await accounts.create(second)
    const firstKeys = (await accounts.delete(first.id))!
    const secondKeys = (await accounts.delete(second.id))!
    t.equal(secondKeys.length, 2, 'avatar and profile photo')
    const later = new Date(Date.now() + 60_000)
    const due = await fileDeletions.dueFileDeletions(later, 100)
    t.same([...due].sort(), [...firstKeys, ...secondKeys].sort())
    t.equal((await fileDeletions.dueFileDeletions(later, 2)).length, 2, 'limit holds')

    await fileDeletions.completeFileDeletion(firstKeys[0]!)
    t.notOk(
      (await fileDeletions.dueFileDeletions(later, 100)).includes(firstKeys[0]!),
      'a completed deletion leaves the queue'
    )
    await fileDeletions.postponeFileDeletion(firstKeys[1]!, new Date(later.getTime() + 60_000))
    t.notOk((await fileDeletions.dueFileDeletions(later, 100)).includes(firstKeys[1]!), 'postponed: not due yet')
    t.ok(
      (await fileDeletions.dueFileDeletions(new Date(later.getTime() + 120_000), 100)).includes(firstKeys[1]!),
      'due again later'
    )
  })

  t.test('purging verification files queues exactly those files and keeps the photos', async (t) => {
    const { accounts, fileDeletions, catalog } = await make(t)
    const input = phoneUser(catalog)
    await accounts.create(input)
    const { avatarKey, profileKey, verificationFiles } = input.profile!
    const verificationKeys = verificationFiles.map((file) => file.key).sort()

    t.same(
      (await fileDeletions.purgeVerificationFiles(input.id))?.sort(),
      verificationKeys,
      'answers the keys it queued'
    )
    const after = await accounts.findProfileById(input.id)
    t.same(after?.profile?.verificationFiles, [], 'the records are gone')
    t.equal(after?.profile?.avatarKey, avatarKey, 'the avatar stays')
    t.equal(after?.profile?.profileKey, profileKey, 'the profile photo stays')
    t.equal(after?.status, 'pending', 'nothing else changes')
    const queued = await fileDeletions.dueFileDeletions(new Date(Date.now() + 60_000), 100)
    t.same([...queued].sort(), verificationKeys, 'the stored files are queued for the sweeper, the photos are not')

    t.same(await fileDeletions.purgeVerificationFiles(input.id), [], 'twice: nothing left')
    t.equal(await fileDeletions.purgeVerificationFiles(randomUUID()), null, 'no such member')
    const emailOnly = emailUser()
    await accounts.create(emailOnly)
    t.same(await fileDeletions.purgeVerificationFiles(emailOnly.id), [], 'no profile, no files')
    t.same(
      (await accounts.delete(input.id))?.sort(),
      [avatarKey!, profileKey!].sort(),
      'deleting the member later queues the photos alone'
    )
  })

  t.test('verification purges come due for decided members with files, earliest decision first', async (t) => {
    const fixture = await make(t)
    const { accounts, fileDeletions, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const [approved, rejected, pending, noFiles, purged] = [
      phoneUser(catalog),
      phoneUser(catalog),
      phoneUser(catalog),
      phoneUser(catalog, { verificationFiles: [] }),
      phoneUser(catalog)
    ]
    for (const input of [approved, rejected, pending, noFiles, purged]) await accounts.create(input)
    await recordDecision(approved.id, 'approved', null)
    // Two decisions a few milliseconds apart: a clock read twice within one millisecond must not
    // make them one instant, whose order would then be the ids'.
    await new Promise((resolve) => setTimeout(resolve, 5))
    await recordDecision(rejected.id, 'rejected', 'no', new Date())
    await recordDecision(noFiles.id, 'approved', null)
    await recordDecision(purged.id, 'approved', null)
    await fileDeletions.purgeVerificationFiles(purged.id)

    const decided = await Promise.all(
      [approved, rejected, noFiles, purged].map(async input => (await accounts.findById(input.id))!.decidedAt!)
    )
    const afterAll = new Date(Math.max(...decided.map((at) => at.getTime())) + 1)
    const inOrder = [approved.id, rejected.id]
    t.same(
      await fileDeletions.dueVerificationPurges(afterAll, 10),
      inOrder,
      'decided, with files left, in decision order'
    )
    t.same(await fileDeletions.dueVerificationPurges(afterAll, 1), inOrder.slice(0, 1), 'limit holds')
    t.same(
      await fileDeletions.dueVerificationPurges(decided[0]!, 10),
      [],
      'decided at the cutoff itself: not before it'
    )
    await fileDeletions.purgeVerificationFiles(approved.id)
    t.same(await fileDeletions.dueVerificationPurges(afterAll, 10), [rejected.id], 'purged: no longer due')
  })
}
