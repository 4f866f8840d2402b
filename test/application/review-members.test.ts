import { Readable } from 'node:stream'
import t from 'tap'
import { memberTexts } from '../../src/application/members/member-texts.js'
import { createMemoryBlobStore } from '../../src/adapters/local-storage/memory-blob-store.js'
import { createLocalFileStore } from '../../src/adapters/local-storage/local-file-store.js'
import { NotFoundError, ValidationError } from '../../src/domain/errors.js'
import { toShortUuid } from '../../src/domain/short-uuid.js'
import type { NewUser } from '../../src/domain/user.js'
import { makeEndSessions } from '../../src/application/sessions/end-sessions.js'
import { makeDescribeMember } from '../../src/application/members/member-view.js'
import { makeNotifyMember } from '../../src/application/members/notify-member.js'
import { makePurgeDeletedFiles } from '../../src/application/files/purge-deleted-files.js'
import { makePurgeVerificationFiles } from '../../src/application/files/purge-verification-files.js'
import { makeRecordDecision } from '../../src/application/review/record-decision.js'
import { makeReviewMembers } from '../../src/application/review/review-members.js'
import { phoneUser } from '../contracts/user-stores-fixture.js'
import { TEST_JWT, TEST_ORIGIN, memoryPorts } from '../helpers/build-test-app.js'

const DAY_MS = 86_400_000
const NO_CATALOG = { interestIds: [], professionId: null }

/** The review use-cases over memory ports; the file store's blobs are the test's to fill and read. */
async function setUp (options: { purgeNow?: boolean } = {}) {
  const ports = await memoryPorts()
  const { accounts, fileDeletions, catalog, clock, push } = ports
  const blobs = createMemoryBlobStore()
  const files = createLocalFileStore({ blobs, secret: TEST_JWT.secret, publicUrl: TEST_ORIGIN, clock })
  const recordDecision = makeRecordDecision({ accounts, review: ports.review, clock })
  const review = makeReviewMembers({
    accounts,
    review: ports.review,
    fileDeletions,
    recordDecision,
    describeMember: makeDescribeMember({ accounts, catalog, clock }),
    files,
    endSessions: makeEndSessions({ accounts, recordDecision, clock, forgetSessions: async () => {} }),
    notifyMember: makeNotifyMember({ pushTokens: ports.pushTokens, push }),
    texts: memberTexts,
    readLinkTtlSeconds: 300,
    ...(options.purgeNow === true
      ? { purgeDeletedFiles: makePurgeDeletedFiles({ fileDeletions, files, clock }) }
      : {})
  })
  /** Signs a member up a second after the previous one, so sign-up order is unambiguous. */
  const signUp = async (input: NewUser): Promise<NewUser> => {
    clock.advance(1000)
    await accounts.create(input)
    return input
  }
  const store = async (key: string) => blobs.put(key, Readable.from([Buffer.from('jpeg')]), 'image/jpeg', 1024)
  return { ports, review, recordDecision, files, blobs, signUp, store }
}

t.test(
  "a member's page: signed links to the verification files, the other accounts of the person, the decision time",
  async t => {
    const { ports, review, signUp } = await setUp()
    const key = 'ci-same-person'
    const member = await signUp(phoneUser(NO_CATALOG, { uniqueKey: key }))
    const twin = await signUp(phoneUser(NO_CATALOG, { uniqueKey: key }))
    await signUp(phoneUser(NO_CATALOG, { uniqueKey: 'someone-else' }))

    const page = await review.member(toShortUuid(member.id))
    t.equal(page.view.user.id, member.id)
    t.equal(page.decidedAt, null, 'pending: undecided')
    t.same(
      page.view.fileLinks.map(link => link.key),
      member.profile!.verificationFiles.map(file => file.key)
    )
    for (const link of page.view.fileLinks) {
      t.match(link.url, /[?&]expires=\d+&signature=[0-9a-f]{64}$/, 'a short-lived signed link, never a bare URL')
    }
    t.same(page.duplicates, [{ id: twin.id, username: twin.profile!.username, status: 'pending', confirmed: false }])
    t.same((await review.member(member.id.toUpperCase())).view.user.id, member.id, 'by uuid too')

    await review.approve(member.id)
    t.same((await review.member(member.id)).decidedAt, ports.clock.now(), 'decided now')
    await t.rejects(review.member(toShortUuid('00000000-0000-4000-8000-000000000000')), NotFoundError)
    await t.rejects(review.member('not a member'), NotFoundError)
  }
)

t.test(
  'decisions: approve, reject with a required reason, re-approve; the same pushes and end of sessions as the API',
  async t => {
    const { ports, review, signUp } = await setUp()
    const member = await signUp({ ...phoneUser(NO_CATALOG), pushToken: 'device-1' })

    const approved = await review.approve(toShortUuid(member.id))
    t.equal(approved.member.user.status, 'approved')
    t.equal(approved.member.user.decidedAt?.getTime(), ports.clock.now().getTime())
    t.equal(approved.push.delivered, 1)
    t.equal(ports.push.messagesTo('device-1').at(-1)?.data.status, 'approved')

    for (const reason of ['', '   ']) {
      await t.rejects(
        review.reject(member.id, reason),
        ValidationError.of('reason', 'required'),
        'a reason is required'
      )
    }
    await t.rejects(review.reject(member.id, 'a'.repeat(1001)), ValidationError.of('reason', 'too_long'))
    await t.rejects(review.reject(member.id, 'bad\u0000reason'), ValidationError.of('reason', 'invalid'))
    t.equal((await ports.accounts.findById(member.id))?.status, 'approved', 'a refused rejection changes nothing')

    ports.clock.advance(1000)
    const rejected = await review.reject(member.id, '  The photo is blurred.\nPlease sign up again.  ')
    t.equal(rejected.member.user.status, 'rejected')
    t.equal(rejected.member.user.rejectionReason, 'The photo is blurred.\nPlease sign up again.')
    t.ok(rejected.member.user.tokensValidAfter !== null, "the member's tokens end, as with the API")
    t.equal(ports.push.messagesTo('device-1').at(-1)?.data.status, 'rejected')

    ports.clock.advance(1000)
    const again = await review.approve(member.id)
    t.equal(again.member.user.status, 'approved', 'a rejected member may be approved after all')
    t.equal(
      again.member.user.decidedAt?.getTime(),
      ports.clock.now().getTime(),
      "the decision time is the latest decision's"
    )
    await t.rejects(review.approve(toShortUuid('00000000-0000-4000-8000-000000000000')), NotFoundError)
    await t.rejects(review.reject('00000000-0000-4000-8000-000000000000', 'why'), NotFoundError)
  }
)

t.test('purging files: refused while pending; then the verification files go, the photos stay', async (t) => {
  const { ports, review, signUp, store, blobs } = await setUp()
  const member = await signUp(phoneUser(NO_CATALOG))
  const profile = member.profile!
  const verificationKeys = profile.verificationFiles.map((file) => file.key)
  for (const key of [profile.avatarKey!, profile.profileKey!, ...verificationKeys]) await store(key)

  await t.rejects(review.purgeFiles(member.id), ValidationError.of('status', 'invalid'), 'the review still needs them')
  t.equal((await ports.accounts.findProfileById(member.id))?.profile?.verificationFiles.length, 2)

  await review.reject(member.id, 'two accounts')
  const purge = await review.purgeFiles(toShortUuid(member.id))
  t.same(purge, { memberId: member.id, keys: verificationKeys, report: null })
  t.same((await ports.accounts.findProfileById(member.id))?.profile?.verificationFiles, [])
  t.same((await review.member(member.id)).view.fileLinks, [], 'nothing left to show')
  t.same(
    await ports.fileDeletions.dueFileDeletions(ports.clock.now(), 10),
    verificationKeys,
    'queued for the deletion sweeper'
  )
  t.ok(await blobs.has(verificationKeys[0]!), 'the store is the sweeper\'s to empty')
  t.ok(await blobs.has(profile.avatarKey!))

  t.same((await review.purgeFiles(member.id)).keys, [], 'again: nothing left')
  await t.rejects(review.purgeFiles('00000000-0000-4000-8000-000000000000'), NotFoundError)
})

t.test('purging files with purgeDeletedFiles: the stored files are deleted at once', async (t) => {
  const { ports, review, signUp, store, blobs } = await setUp({ purgeNow: true })
  const member = await signUp(phoneUser(NO_CATALOG))
  const profile = member.profile!
  for (const key of [profile.avatarKey!, profile.profileKey!, ...profile.verificationFiles.map(file => file.key)]) {
    await store(key)
  }
  await review.approve(member.id)

  const purge = await review.purgeFiles(member.id)
  t.same(purge.report, { deleted: 2, failed: 0 })
  for (const file of profile.verificationFiles) t.notOk(await blobs.has(file.key), `${file.key} is gone`)
  t.ok(await blobs.has(profile.avatarKey!), 'the avatar stays')
  t.ok(await blobs.has(profile.profileKey!), 'the profile photo stays')
  t.same(await ports.fileDeletions.dueFileDeletions(ports.clock.now(), 10), [], 'nothing left queued')
})

t.test('retention: verification files go that many days after the decision, through the deletion queue', async (t) => {
  const { ports, files, recordDecision, signUp, store, blobs } = await setUp()
  const { accounts, fileDeletions, clock } = ports
  const sweep = makePurgeVerificationFiles({ fileDeletions, clock, retentionDays: 30 })
  const [approved, rejected, pending, late] = [
    await signUp(phoneUser(NO_CATALOG)),
    await signUp(phoneUser(NO_CATALOG)),
    await signUp(phoneUser(NO_CATALOG)),
    await signUp(phoneUser(NO_CATALOG))
  ]
  await recordDecision(approved.id, 'approved', null)
  clock.advance(1000)
  await recordDecision(rejected.id, 'rejected', 'no', clock.now())
  clock.advance(10 * DAY_MS)
  await recordDecision(late.id, 'approved', null)

  clock.advance(20 * DAY_MS - 1000) // the first decision is exactly 30 days old
  t.same(await sweep.due(), { members: 0, files: 0, purged: [] }, 'at the limit: kept')
  clock.advance(1001)
  const report = await sweep.due()
  t.same(report, {
    members: 2,
    files: 4,
    purged: [
      { memberId: approved.id, files: 2 },
      { memberId: rejected.id, files: 2 }
    ]
  })
  t.same((await accounts.findProfileById(approved.id))?.profile?.verificationFiles, [])
  t.equal(
    (await accounts.findProfileById(pending.id))?.profile?.verificationFiles.length,
    2,
    'a pending member keeps theirs'
  )
  t.equal(
    (await accounts.findProfileById(late.id))?.profile?.verificationFiles.length,
    2,
    'a later decision is not due yet'
  )
  t.same(await sweep.due(), { members: 0, files: 0, purged: [] }, 'sweeping again is harmless')

  // The stored files leave through the existing durable queue's sweeper.
  for (const file of approved.profile!.verificationFiles) await store(file.key)
  const deleted = await makePurgeDeletedFiles({ fileDeletions, files, clock }).due()
  t.same(deleted, { deleted: 4, failed: 0 })
  for (const file of approved.profile!.verificationFiles) t.notOk(await blobs.has(file.key), `${file.key} is gone`)

  clock.advance(10 * DAY_MS)
  t.same((await sweep.due()).purged, [{ memberId: late.id, files: 2 }])
})

t.test('retention unset keeps every file; a period under a day is refused at wiring time', async (t) => {
  const { ports, recordDecision, signUp } = await setUp()
  const { accounts, fileDeletions, clock } = ports
  const member = await signUp(phoneUser(NO_CATALOG))
  await recordDecision(member.id, 'approved', null)
  clock.advance(10_000 * DAY_MS)
  t.same(await makePurgeVerificationFiles({ fileDeletions, clock, retentionDays: null }).due(), {
    members: 0,
    files: 0,
    purged: []
  })
  t.equal((await accounts.findProfileById(member.id))?.profile?.verificationFiles.length, 2)
  for (const retentionDays of [0, -1, 0.5, Number.NaN]) {
    t.throws(
      () => makePurgeVerificationFiles({ fileDeletions, clock, retentionDays }),
      RangeError,
      String(retentionDays)
    )
  }
})
