import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError, type DuplicateField } from '../../src/domain/errors.js'
import type { NewUser, PhoneNumber, PhoneProfile } from '../../src/domain/user.js'
import type { UserRepository } from '../../src/application/ports/user-repository.js'
import { uniqueSuffix } from '../helpers/services.js'

export interface CatalogIds { interestIds: string[], professionId: string | null }

export function emailUser (overrides: Partial<NewUser> = {}): NewUser {
  return {
    id: randomUUID(),
    email: `user-${uniqueSuffix()}@example.com`,
    passwordHash: 'hash',
    mobile: null,
    status: 'approved',
    language: 'ko',
    profile: null,
    pushToken: null,
    ...overrides
  }
}

export function phoneUser (catalog: CatalogIds, overrides: Partial<PhoneProfile> = {}): NewUser {
  const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, '0')
  const tag = uniqueSuffix() // upload keys are unique per member
  return {
    id: randomUUID(),
    email: null,
    passwordHash: null,
    mobile: `+8210${digits}` as PhoneNumber,
    status: 'pending',
    language: 'ko',
    pushToken: null,
    profile: {
      username: `도도${uniqueSuffix()}`,
      name: '손흥민',
      birth: '1984-10-23',
      gender: 'male',
      carrier: 'SK telecom',
      foreigner: false,
      uniqueInSite: 'site-key',
      uniqueKey: 'unique-key',
      avatarKey: `images/users/avatars/a-${tag}.jpeg`,
      profileKey: `images/users/profiles/p-${tag}.jpeg`,
      professionId: catalog.professionId,
      interestIds: catalog.interestIds,
      verificationFiles: [
        { key: `images/users/verifications/v1-${tag}.jpeg`, displayOrder: 0 },
        { key: `images/users/verifications/v2-${tag}.jpeg`, displayOrder: 1 }
      ],
      ...overrides
    }
  }
}

export interface RepositoryFixture { users: UserRepository, catalog: CatalogIds }

/** One contract for every UserRepository adapter: memory, PGlite, PostgreSQL. */
export function userRepositoryContract (t: Test, make: (t: Test) => Promise<RepositoryFixture>): void {
  t.test('creates and finds a user by id, email and mobile', async (t) => {
    const { users, catalog } = await make(t)
    const input = phoneUser(catalog)
    const created = await users.create({ ...input, email: 'both@example.com', passwordHash: 'h' })
    t.equal(created.id, input.id)
    t.equal(created.status, 'pending')
    t.same(created.profile?.interestIds, catalog.interestIds)
    t.same(created.profile?.verificationFiles, input.profile!.verificationFiles)
    t.equal((await users.findById(input.id))?.mobile, input.mobile)
    t.equal((await users.findByEmail('both@example.com'))?.id, input.id)
    t.equal((await users.findByMobile(input.mobile!))?.id, input.id)
    t.equal(await users.findById(randomUUID()), null)
    t.equal(await users.findByEmail('nobody@example.com'), null)
  })

  t.test('the core lookup carries no profile; the profile lookup has it', async (t) => {
    const { users, catalog } = await make(t)
    const input = phoneUser(catalog)
    await users.create(input)
    t.notOk('profile' in (await users.findById(input.id))!)
    const full = await users.findProfileById(input.id)
    t.equal(full?.profile?.username, input.profile!.username)
    t.equal(full?.profile?.birth, '1984-10-23')
    t.equal(full?.profile?.professionId, catalog.professionId)
    const emailOnly = emailUser()
    await users.create(emailOnly)
    t.equal((await users.findProfileById(emailOnly.id))?.profile, null)
  })

  t.test(
    'the profile lookups (by id, by mobile) answer the member exactly as created: interests in their order, files by display order',
    async t => {
      const { users, catalog } = await make(t)
      // Reversed, so an order by id or by insertion into the index would show.
      const input = phoneUser(catalog, { interestIds: [...catalog.interestIds].reverse() })
      const created = await users.create(input)
      const found = await users.findProfileById(input.id)
      t.same(found, created)
      t.same(await users.findProfileByMobile(input.mobile!), created, 'by mobile, the same member')
      t.equal(
        await users.findProfileByMobile(
          `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
        ),
        null,
        'an unknown number'
      )
      t.same(found?.profile?.interestIds, [...catalog.interestIds].reverse())
      t.same(found?.profile?.verificationFiles, input.profile!.verificationFiles)
      const bare = phoneUser(catalog, { interestIds: [], verificationFiles: [], professionId: null })
      await users.create(bare)
      const plain = await users.findProfileById(bare.id)
      t.same(
        [plain?.profile?.interestIds, plain?.profile?.verificationFiles, plain?.profile?.professionId],
        [[], [], null],
        'none of either'
      )
      t.equal(await users.findProfileById(randomUUID()), null)
    }
  )

  t.test('email, mobile and username are unique', async (t) => {
    const { users, catalog } = await make(t)
    const first = phoneUser(catalog)
    await users.create({ ...first, email: 'taken@example.com' })
    await t.rejects(users.create(emailUser({ email: 'taken@example.com' })), new DuplicateValueError('email'))
    await t.rejects(users.create({ ...phoneUser(catalog), mobile: first.mobile }), new DuplicateValueError('mobile'))
    await t.rejects(
      users.create(phoneUser(catalog, { username: first.profile!.username })),
      new DuplicateValueError('username')
    )
  })

  t.test('a refused create leaves nothing behind', async (t) => {
    const { users, catalog } = await make(t)
    const first = phoneUser(catalog)
    await users.create(first)
    const clash = { ...phoneUser(catalog, { username: first.profile!.username }), pushToken: 'orphan-token' }
    await t.rejects(users.create(clash))
    t.equal(await users.findById(clash.id), null)
    t.equal(await users.findByMobile(clash.mobile!), null)
    t.same(await users.listPushTokens(clash.id), [])
  })

  t.test('ten parallel creates with one email: exactly one wins', async (t) => {
    const { users } = await make(t)
    const email = `race-${uniqueSuffix()}@example.com`
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => users.create(emailUser({ email }))))
    t.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
    for (const result of results) if (result.status === 'rejected') t.ok(result.reason instanceof DuplicateValueError)
  })

  t.test('push tokens: several per user, moved on re-use, removed singly', async (t) => {
    const { users } = await make(t)
    const alice = emailUser({ pushToken: 'device-a' })
    const bob = emailUser()
    await users.create(alice)
    await users.create(bob)
    await users.addPushToken(alice.id, 'device-b')
    await users.addPushToken(alice.id, 'device-b') // idempotent
    t.same(await users.listPushTokens(alice.id), ['device-a', 'device-b'])
    await users.addPushToken(bob.id, 'device-a') // the device now belongs to bob
    t.same(await users.listPushTokens(alice.id), ['device-b'])
    t.same(await users.listPushTokens(bob.id), ['device-a'])
    await users.removePushToken('device-b')
    t.same(await users.listPushTokens(alice.id), [])
    await users.addPushToken(randomUUID(), 'ghost') // no such user: nothing stored
    t.same(await users.listPushTokens(bob.id), ['device-a'])
  })

  t.test('delete removes the user and everything that is theirs', async (t) => {
    const { users, catalog } = await make(t)
    const input = { ...phoneUser(catalog), pushToken: 'device-x' }
    await users.create(input)
    const { avatarKey, profileKey, verificationFiles } = input.profile!
    const files = [avatarKey!, profileKey!, ...verificationFiles.map((file) => file.key)]
    t.same((await users.delete(input.id))?.sort(), [...files].sort(), 'answers the stored files it queued')
    t.equal(await users.findById(input.id), null)
    t.equal(await users.findProfileById(input.id), null)
    t.same(await users.listPushTokens(input.id), [])
    t.equal(await users.delete(input.id), null)
    // The mobile and username are free again.
    await users.create({ ...phoneUser(catalog, { username: input.profile!.username }), mobile: input.mobile })
    t.equal(await users.delete(emailUser().id), null, 'no such user')
  })

  t.test('an upload key belongs to one member', async (t) => {
    const { users, catalog } = await make(t)
    const first = phoneUser(catalog)
    await users.create(first)
    const held = first.profile!
    const clashes: Array<[DuplicateField, Partial<PhoneProfile>]> = [
      ['avatar', { avatarKey: held.avatarKey }],
      ['profile', { profileKey: held.profileKey }],
      ['verification_files', { verificationFiles: [{ key: held.verificationFiles[1]!.key, displayOrder: 0 }] }]
    ]
    for (const [field, overrides] of clashes) {
      const second = phoneUser(catalog, overrides)
      await t.rejects(users.create(second), new DuplicateValueError(field), `${field} already held`)
      t.equal(await users.findById(second.id), null, `${field}: nothing half-written`)
    }
    const twice = phoneUser(catalog)
    const file = twice.profile!.verificationFiles[0]!
    await t.rejects(
      users.create({
        ...twice,
        profile: { ...twice.profile!, verificationFiles: [file, { ...file, displayOrder: 1 }] }
      }),
      new DuplicateValueError('verification_files'),
      'one key twice in one sign-up'
    )
    t.equal(await users.findById(twice.id), null)
  })

  t.test('deleted members\' files stay queued until the store confirms their deletion', async (t) => {
    const { users, catalog } = await make(t)
    const first = phoneUser(catalog)
    const second = phoneUser(catalog, { verificationFiles: [] })
    await users.create(first)
    await users.create(second)
    const firstKeys = (await users.delete(first.id))!
    const secondKeys = (await users.delete(second.id))!
    t.equal(secondKeys.length, 2, 'avatar and profile photo')
    const later = new Date(Date.now() + 60_000)
    const due = await users.dueFileDeletions(later, 100)
    t.same([...due].sort(), [...firstKeys, ...secondKeys].sort())
    t.equal((await users.dueFileDeletions(later, 2)).length, 2, 'limit holds')

    await users.completeFileDeletion(firstKeys[0]!)
    t.notOk((await users.dueFileDeletions(later, 100)).includes(firstKeys[0]!), 'a completed deletion leaves the queue')
    await users.postponeFileDeletion(firstKeys[1]!, new Date(later.getTime() + 60_000))
    t.notOk((await users.dueFileDeletions(later, 100)).includes(firstKeys[1]!), 'postponed: not due yet')
    t.ok(
      (await users.dueFileDeletions(new Date(later.getTime() + 120_000), 100)).includes(firstKeys[1]!),
      'due again later'
    )
  })

  t.test('status, rejection reason and paged listing by status', async (t) => {
    const { users, catalog } = await make(t)
    const created = []
    for (let i = 0; i < 3; i++) {
      const input = phoneUser(catalog)
      await users.create(input)
      created.push(input.id)
    }
    t.equal(await users.setStatus(created[0]!, 'rejected', 'blurry photo'), true)
    t.equal(await users.setStatus(randomUUID(), 'approved', null), false)
    const rejected = await users.findById(created[0]!)
    t.equal(rejected?.status, 'rejected')
    t.equal(rejected?.rejectionReason, 'blurry photo')

    const pending = await users.listByStatus('pending', 0, 10)
    t.equal(pending.total, 2)
    t.same(new Set(pending.users.map((user) => user.id)), new Set(created.slice(1)))
    const page = await users.listByStatus('pending', 1, 1)
    t.equal(page.users.length, 1)
    t.equal(page.total, 2)
    t.equal((await users.listByStatus(null, 0, 10)).total, 3)
  })

  t.test('tokens-valid-after is stored to the millisecond', async (t) => {
    const { users } = await make(t)
    const input = emailUser()
    await users.create(input)
    t.equal((await users.findById(input.id))?.tokensValidAfter, null)
    const instant = new Date('2026-05-01T10:00:00.123Z')
    await users.setTokensValidAfter(input.id, instant)
    t.equal((await users.findById(input.id))?.tokensValidAfter?.toISOString(), instant.toISOString())
  })

  t.test(
    'password, a staged email confirmed (with its password), the current email verified, a new number',
    async t => {
      const { users, catalog } = await make(t)
      const member = phoneUser(catalog)
      const other = emailUser()
      await users.create(member)
      await users.create(other)
      t.equal((await users.findById(member.id))?.emailVerifiedAt, null)
      t.equal(await users.confirmEmail(member.id, new Date()), null, 'no address to verify')

      await t.rejects(
        users.stageEmail(member.id, other.email!, 'hash-new'),
        new DuplicateValueError('email'),
        'an address another account holds'
      )
      const wanted = `moved-${uniqueSuffix()}@example.com`
      t.equal(await users.stageEmail(member.id, wanted, 'hash-new'), true)
      t.equal(await users.findPendingEmail(member.id), wanted)
      t.equal((await users.findById(member.id))?.email, null, 'nothing moves before the code')
      const at = new Date('2026-06-01T09:00:00.250Z')
      t.same(await users.confirmEmail(member.id, at), { email: wanted, previous: null })
      const moved = await users.findByEmail(wanted)
      t.equal(moved?.id, member.id)
      t.equal(moved?.passwordHash, 'hash-new', 'the staged password became theirs')
      t.equal(moved?.emailVerifiedAt?.toISOString(), at.toISOString())
      t.equal(await users.findPendingEmail(member.id), null)

      const again = `again-${uniqueSuffix()}@example.com`
      await users.stageEmail(member.id, again, null)
      t.same(await users.confirmEmail(member.id, at), { email: again, previous: wanted })
      t.equal((await users.findById(member.id))?.passwordHash, 'hash-new', 'no staged password: the old one stays')
      t.same(
        await users.confirmEmail(other.id, at),
        { email: other.email, previous: null },
        'the current address verified'
      )
      const third = emailUser()
      await users.create(third)
      await users.stageEmail(third.id, `pending-${uniqueSuffix()}@example.com`, null)
      await users.markEmailVerified(third.id, at)
      t.equal(
        (await users.findById(third.id))?.emailVerifiedAt?.toISOString(),
        at.toISOString(),
        'the current address marked verified'
      )
      t.equal((await users.findById(third.id))?.email, third.email, 'while the pending change keeps waiting')
      t.ok(await users.findPendingEmail(third.id))

      const taken = `taken-${uniqueSuffix()}@example.com`
      await users.stageEmail(member.id, taken, null)
      await users.create(emailUser({ email: taken }))
      await t.rejects(users.confirmEmail(member.id, at), new DuplicateValueError('email'), 'taken since it was staged')
      t.equal((await users.findById(member.id))?.email, again, 'nothing changed')

      t.equal(await users.setPassword(member.id, 'hash-3'), true)
      t.equal((await users.findById(member.id))?.passwordHash, 'hash-3')
      t.equal(await users.setPassword(randomUUID(), 'x'), false)
      const number = `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
      t.equal(await users.setMobile(other.id, number), true)
      t.equal((await users.findByMobile(number))?.id, other.id)
      await t.rejects(users.setMobile(member.id, number), new DuplicateValueError('mobile'))
      t.equal(await users.setMobile(randomUUID(), number), false)
    }
  )

  t.test('the owner of an unproven address claims the account: the number and a waiting change go, once', async (t) => {
    const { users } = await make(t)
    const at = new Date('2026-03-01T10:00:00.000Z')
    const claimed = emailUser()
    await users.create(claimed)
    const number = `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
    t.equal(await users.setMobile(claimed.id, number), true)
    const waiting = `waiting-${uniqueSuffix()}@example.com`
    await users.stageEmail(claimed.id, waiting, 'staged-hash')
    t.same(
      await users.claimByEmail(claimed.id, at),
      { removedMobile: number, removedPendingEmail: waiting },
      'what it removed'
    )
    const after = await users.findById(claimed.id)
    t.equal(after?.mobile, null, 'the number is gone')
    t.equal(after?.emailVerifiedAt?.toISOString(), at.toISOString(), 'the address is proven')
    t.equal(after?.email, claimed.email, 'and still the account\'s')
    t.equal(await users.findPendingEmail(claimed.id), null, 'the waiting change is gone')
    t.equal(await users.findByMobile(number), null, 'nobody signs in with the number')
    t.equal((await users.findCard(claimed.id))?.mobile, null, 'the card shows no number')

    t.equal(await users.setMobile(claimed.id, number), true, 'the owner adds a number afterwards')
    t.same(
      await users.claimByEmail(claimed.id, new Date(at.getTime() + 1000)),
      { removedMobile: null, removedPendingEmail: null },
      'a proven address claims nothing again'
    )
    t.equal((await users.findById(claimed.id))?.mobile, number, 'the owner\'s number stays')
    t.equal(
      (await users.findById(claimed.id))?.emailVerifiedAt?.toISOString(),
      at.toISOString(),
      "the first proof's instant stays"
    )
    t.equal(await users.claimByEmail(randomUUID(), at), null, 'no such member')
  })

  t.test('the language is kept from sign-up and changed on request, by every lookup', async (t) => {
    const { users, catalog } = await make(t)
    const english = emailUser({ language: 'en' })
    const korean = phoneUser(catalog)
    await users.create(english)
    await users.create(korean)
    t.equal((await users.findByEmail(english.email!))?.language, 'en')
    t.equal((await users.findByMobile(korean.mobile!))?.language, 'ko')
    await users.setLanguage(korean.id, 'en')
    t.equal((await users.findById(korean.id))?.language, 'en')
    t.equal((await users.findProfileById(korean.id))?.language, 'en')
    t.equal((await users.findById(english.id))?.language, 'en', 'the other member is untouched')
  })

  t.test('the card\'s standing follows every change of status, sign-out instant and existence', async (t) => {
    const { users, catalog } = await make(t)
    const input = phoneUser(catalog)
    const findStanding = async (id: string) => {
      const card = await users.findCard(id)
      return card === null ? null : { status: card.status, tokensValidAfter: card.tokensValidAfter }
    }
    t.equal(await findStanding(input.id), null, 'no such user yet')
    await users.create(input)
    t.same(await findStanding(input.id), { status: 'pending', tokensValidAfter: null })
    await users.setStatus(input.id, 'approved', null)
    t.same(await findStanding(input.id), { status: 'approved', tokensValidAfter: null })
    const instant = new Date('2026-05-01T10:00:00.123Z')
    await users.setTokensValidAfter(input.id, instant)
    t.equal((await findStanding(input.id))?.tokensValidAfter?.toISOString(), instant.toISOString())
    const cutoff = new Date('2026-05-02T10:00:00.456Z')
    t.equal(await users.setStatus(input.id, 'rejected', 'no', cutoff), true)
    t.same(
      await findStanding(input.id),
      { status: 'rejected', tokensValidAfter: cutoff },
      'status and cutoff in one write'
    )
    t.equal((await users.findById(input.id))?.rejectionReason, 'no')
    await users.delete(input.id)
    t.equal(await findStanding(input.id), null, 'gone after deletion')
    t.equal(await users.setStatus(input.id, 'approved', null), false)
    t.equal(await findStanding(input.id), null)
  })

  t.test('the card shows the public fields and follows a new number and a confirmed address', async (t) => {
    const { users, catalog } = await make(t)
    const input = phoneUser(catalog)
    const created = await users.create(input)
    t.same(await users.findCard(input.id), {
      status: 'pending',
      tokensValidAfter: null,
      email: null,
      mobile: input.mobile,
      createdAt: created.createdAt
    })
    const mobile = phoneUser(catalog).mobile!
    t.equal(await users.setMobile(input.id, mobile), true)
    t.equal((await users.findCard(input.id))?.mobile, mobile, 'the new number')
    const email = `card-${uniqueSuffix()}@example.com`
    await users.stageEmail(input.id, email, 'hash-new')
    t.equal((await users.findCard(input.id))?.email, null, 'a staged address is not the member\'s yet')
    await users.confirmEmail(input.id, new Date())
    t.same(
      await users.findCard(input.id),
      { status: 'pending', tokensValidAfter: null, email, mobile, createdAt: created.createdAt },
      'the confirmed address'
    )
    t.notOk(Object.hasOwn((await users.findCard(input.id))!, 'passwordHash'), 'no secret on the card')
  })

  t.test('search: text matches the username, name or email as typed, in any case, wildcards and all', async (t) => {
    const { users, catalog } = await make(t)
    const tag = uniqueSuffix()
    const byUsername = phoneUser(catalog, { username: `Dodo${tag}`, name: '손흥민' })
    const byName = phoneUser(catalog, { name: `Alice ${tag}` })
    const byEmail = emailUser({ email: `finder-${tag}@example.com` })
    const percent = phoneUser(catalog, { username: `a%b_${tag}`, name: 'Bob' })
    const lookalike = phoneUser(catalog, { username: `axbx${tag}`, name: 'Bob' }) // what unescaped % and _ would also match
    const backslash = phoneUser(catalog, { username: `c\\d${tag}`, name: 'Bob' })
    for (const input of [byUsername, byName, byEmail, percent, lookalike, backslash]) await users.create(input)
    const ids = async (text: string) =>
      (await users.search({ status: null, text, mobile: null, order: 'oldest', offset: 0, limit: 50 })).users
        .map(user => user.id)
        .sort()

    t.same(await ids(`dODO${tag}`), [byUsername.id], 'username, other case')
    t.same(await ids(`ALICE ${tag}`), [byName.id], 'name, other case')
    t.same(await ids(`FINDER-${tag}@EXAMPLE`), [byEmail.id], 'email, other case')
    t.same(await ids(`a%b_${tag}`), [percent.id], '% and _ are characters')
    t.same(await ids('%'), [percent.id], 'a lone % is not "anything"')
    t.same(await ids('_'), [percent.id], 'a lone _ is not "any character"')
    t.same(await ids(`c\\d${tag}`), [backslash.id], 'a backslash is a character')
    t.same(
      await ids(tag),
      [byUsername.id, byName.id, byEmail.id, percent.id, lookalike.id, backslash.id].sort(),
      'a substring anywhere'
    )
    t.same(await ids('흥민'), [byUsername.id], 'Hangul substring of a name')
    t.same(await ids(`nobody-${tag}`), [])
  })

  t.test('search: by mobile, by status, oldest or newest first, paged with the total', async (t) => {
    const { users, catalog } = await make(t)
    const pending = []
    for (let i = 0; i < 3; i++) {
      const input = phoneUser(catalog)
      await users.create(input)
      pending.push(input)
    }
    const approved = phoneUser(catalog)
    await users.create(approved)
    await users.setStatus(approved.id, 'approved', null)
    const query = {
      status: 'pending' as const,
      text: null,
      mobile: null,
      order: 'oldest' as const,
      offset: 0,
      limit: 10
    }
    const ids = (page: { users: Array<{ id: string }> }) => page.users.map((user) => user.id)

    const oldest = await users.search(query)
    t.same(ids(oldest), pending.map((input) => input.id), 'the review queue: oldest first')
    t.equal(oldest.total, 3)
    t.same(oldest.users[0]?.profile?.verificationFiles, pending[0]!.profile!.verificationFiles, 'with their profiles')
    t.same(ids(await users.search({ ...query, order: 'newest' })), pending.map((input) => input.id).reverse())
    const page = await users.search({ ...query, offset: 1, limit: 1 })
    t.same(ids(page), [pending[1]!.id])
    t.equal(page.total, 3, 'the total counts every match, not the page')
    t.same(ids(await users.search({ ...query, offset: 3 })), [], 'past the end')

    t.same(
      ids(await users.search({ ...query, status: null, mobile: pending[1]!.mobile })),
      [pending[1]!.id],
      'by mobile'
    )
    t.same(ids(await users.search({ ...query, mobile: approved.mobile })), [], 'mobile and status must both match')
    t.same(ids(await users.search({ ...query, status: 'approved' })), [approved.id])
    t.equal((await users.search({ ...query, status: null })).total, 4)
  })

  t.test('the accounts sharing a unique key: others only, never through a missing key', async (t) => {
    const { users, catalog } = await make(t)
    const key = `ci-${uniqueSuffix()}`
    const [first, second, third] = [
      phoneUser(catalog, { uniqueKey: key }),
      phoneUser(catalog, { uniqueKey: key }),
      phoneUser(catalog, { uniqueKey: key })
    ]
    const other = phoneUser(catalog, { uniqueKey: `ci-${uniqueSuffix()}` })
    const [keyless, alsoKeyless] = [phoneUser(catalog, { uniqueKey: null }), phoneUser(catalog, { uniqueKey: null })]
    const emailOnly = emailUser()
    for (const input of [first, second, third, other, keyless, alsoKeyless, emailOnly]) await users.create(input)
    await users.setStatus(third.id, 'rejected', 'two accounts')

    t.same(await users.findSharingUniqueKey(second.id), [
      { id: first.id, username: first.profile!.username, status: 'pending' },
      { id: third.id, username: third.profile!.username, status: 'rejected' }
    ], 'the others, oldest first, not the member itself')
    t.same((await users.findSharingUniqueKey(first.id)).map((holder) => holder.id), [second.id, third.id])
    t.same(await users.findSharingUniqueKey(other.id), [])
    t.same(await users.findSharingUniqueKey(keyless.id), [], 'no key: shared with nobody, not with the other keyless')
    t.same(await users.findSharingUniqueKey(emailOnly.id), [])
    t.same(await users.findSharingUniqueKey(randomUUID()), [])
  })

  t.test('decidedAt: stamped when the status becomes approved or rejected, in the same write', async (t) => {
    const { users, catalog } = await make(t)
    const input = phoneUser(catalog)
    const created = await users.create(input)
    t.equal(created.decidedAt, null, 'pending: undecided')
    t.equal((await users.findById(input.id))?.decidedAt, null)

    await users.setStatus(input.id, 'approved', null)
    const approvedAt = (await users.findById(input.id))?.decidedAt
    t.ok(approvedAt instanceof Date, 'approved: stamped')
    t.ok(approvedAt!.getTime() >= created.createdAt.getTime())
    t.same((await users.findProfileById(input.id))?.decidedAt, approvedAt, 'on the profile lookup too')
    t.same(
      (await users.search({ status: 'approved', text: null, mobile: null, order: 'oldest', offset: 0, limit: 1 }))
        .users[0]?.decidedAt,
      approvedAt,
      'and in search results'
    )
    await users.setStatus(input.id, 'approved', null)
    t.same((await users.findById(input.id))?.decidedAt, approvedAt, 'approving again keeps the first stamp')
    await new Promise((resolve) => setTimeout(resolve, 5)) // the database's clock moves on too

    await users.setStatus(input.id, 'rejected', 'blurry', new Date())
    const rejectedAt = (await users.findById(input.id))?.decidedAt
    t.ok(rejectedAt!.getTime() > approvedAt!.getTime(), 'a new decision, a new stamp')
    await users.setStatus(input.id, 'pending', null)
    t.equal((await users.findById(input.id))?.decidedAt, null, 'back to pending: undecided again')

    const emailOnly = emailUser() // approved at sign-up
    const signedUp = await users.create(emailOnly)
    t.ok(signedUp.decidedAt instanceof Date, 'an account approved at sign-up was decided then')
  })

  t.test('purging verification files queues exactly those files and keeps the photos', async (t) => {
    const { users, catalog } = await make(t)
    const input = phoneUser(catalog)
    await users.create(input)
    const { avatarKey, profileKey, verificationFiles } = input.profile!
    const verificationKeys = verificationFiles.map((file) => file.key).sort()

    t.same((await users.purgeVerificationFiles(input.id))?.sort(), verificationKeys, 'answers the keys it queued')
    const after = await users.findProfileById(input.id)
    t.same(after?.profile?.verificationFiles, [], 'the records are gone')
    t.equal(after?.profile?.avatarKey, avatarKey, 'the avatar stays')
    t.equal(after?.profile?.profileKey, profileKey, 'the profile photo stays')
    t.equal(after?.status, 'pending', 'nothing else changes')
    const queued = await users.dueFileDeletions(new Date(Date.now() + 60_000), 100)
    t.same([...queued].sort(), verificationKeys, 'the stored files are queued for the sweeper, the photos are not')

    t.same(await users.purgeVerificationFiles(input.id), [], 'twice: nothing left')
    t.equal(await users.purgeVerificationFiles(randomUUID()), null, 'no such member')
    const emailOnly = emailUser()
    await users.create(emailOnly)
    t.same(await users.purgeVerificationFiles(emailOnly.id), [], 'no profile, no files')
    t.same(
      (await users.delete(input.id))?.sort(),
      [avatarKey!, profileKey!].sort(),
      'deleting the member later queues the photos alone'
    )
  })

  t.test('verification purges come due for decided members with files, earliest decision first', async (t) => {
    const { users, catalog } = await make(t)
    const [approved, rejected, pending, noFiles, purged] = [
      phoneUser(catalog),
      phoneUser(catalog),
      phoneUser(catalog),
      phoneUser(catalog, { verificationFiles: [] }),
      phoneUser(catalog)
    ]
    for (const input of [approved, rejected, pending, noFiles, purged]) await users.create(input)
    await users.setStatus(approved.id, 'approved', null)
    // Two decisions a few milliseconds apart: the database's clock (microseconds, and coarse on
    // PGlite) must not make them one instant, whose order would then be the ids'.
    await new Promise((resolve) => setTimeout(resolve, 5))
    await users.setStatus(rejected.id, 'rejected', 'no', new Date())
    await users.setStatus(noFiles.id, 'approved', null)
    await users.setStatus(purged.id, 'approved', null)
    await users.purgeVerificationFiles(purged.id)

    const decided = await Promise.all(
      [approved, rejected, noFiles, purged].map(async input => (await users.findById(input.id))!.decidedAt!)
    )
    const afterAll = new Date(Math.max(...decided.map((at) => at.getTime())) + 1)
    const inOrder = [approved.id, rejected.id]
    t.same(await users.dueVerificationPurges(afterAll, 10), inOrder, 'decided, with files left, in decision order')
    t.same(await users.dueVerificationPurges(afterAll, 1), inOrder.slice(0, 1), 'limit holds')
    t.same(await users.dueVerificationPurges(decided[0]!, 10), [], 'decided at the cutoff itself: not before it')
    await users.purgeVerificationFiles(approved.id)
    t.same(await users.dueVerificationPurges(afterAll, 10), [rejected.id], 'purged: no longer due')
  })

  t.test('ping answers', async (t) => {
    const { users } = await make(t)
    await t.resolves(users.ping())
  })
}
