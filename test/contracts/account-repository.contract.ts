import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError, type DuplicateField } from '../../src/domain/errors.js'
import type { PhoneNumber, PhoneProfile } from '../../src/domain/user.js'
import { uniqueSuffix } from '../helpers/services.js'
import {
  confirmedIdentity,
  emailUser,
  phoneUser,
  recordDecisionOn,
  type MakeUserStores
} from './user-stores-fixture.js'

/**
 * One contract for every AccountRepository adapter: memory, PGlite, PostgreSQL, and PostgreSQL behind the
 * Redis account cache.
 */
export function accountRepositoryContract (t: Test, make: MakeUserStores): void {
  t.test('creates and finds a user by id, email and mobile', async (t) => {
    const { accounts, catalog } = await make(t)
    const input = phoneUser(catalog)
    const created = await accounts.create({ ...input, email: 'both@example.com', passwordHash: 'h' })
    t.equal(created.id, input.id)
    t.equal(created.status, 'pending')
    t.same(created.profile?.interestIds, catalog.interestIds)
    t.same(created.profile?.verificationFiles, input.profile!.verificationFiles)
    t.equal((await accounts.findById(input.id))?.mobile, input.mobile)
    t.equal((await accounts.findByEmail('both@example.com'))?.id, input.id)
    t.equal((await accounts.findByMobile(input.mobile!))?.id, input.id)
    t.equal(await accounts.findById(randomUUID()), null)
    t.equal(await accounts.findByEmail('nobody@example.com'), null)
  })

  t.test('the core lookup carries no profile; the profile lookup has it', async (t) => {
    const { accounts, catalog } = await make(t)
    const input = phoneUser(catalog)
    await accounts.create(input)
    t.notOk('profile' in (await accounts.findById(input.id))!)
    const full = await accounts.findProfileById(input.id)
    t.equal(full?.profile?.username, input.profile!.username)
    t.equal(full?.profile?.birth, '1984-10-23')
    t.equal(full?.profile?.professionId, catalog.professionId)
    const emailOnly = emailUser()
    await accounts.create(emailOnly)
    t.equal((await accounts.findProfileById(emailOnly.id))?.profile, null)
  })

  t.test(
    'the profile lookups (by id, by mobile) answer the member exactly as created: ' +
      'interests in their order, files by display order',
    async t => {
      const { accounts, catalog } = await make(t)
      // Reversed, so an order by id or by insertion into the index would show.
      const input = phoneUser(catalog, { interestIds: [...catalog.interestIds].reverse() })
      const created = await accounts.create(input)
      const found = await accounts.findProfileById(input.id)
      t.same(found, created)
      t.same(await accounts.findProfileByMobile(input.mobile!), created, 'by mobile, the same member')
      t.equal(
        await accounts.findProfileByMobile(
          `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
        ),
        null,
        'an unknown number'
      )
      t.same(found?.profile?.interestIds, [...catalog.interestIds].reverse())
      t.same(found?.profile?.verificationFiles, input.profile!.verificationFiles)
      const bare = phoneUser(catalog, { interestIds: [], verificationFiles: [], professionId: null })
      await accounts.create(bare)
      const plain = await accounts.findProfileById(bare.id)
      t.same(
        [plain?.profile?.interestIds, plain?.profile?.verificationFiles, plain?.profile?.professionId],
        [[], [], null],
        'none of either'
      )
      t.equal(await accounts.findProfileById(randomUUID()), null)
    }
  )

  t.test('email, mobile and username are unique', async (t) => {
    const { accounts, catalog } = await make(t)
    const first = phoneUser(catalog)
    await accounts.create({ ...first, email: 'taken@example.com' })
    await t.rejects(accounts.create(emailUser({ email: 'taken@example.com' })), new DuplicateValueError('email'))
    await t.rejects(accounts.create({ ...phoneUser(catalog), mobile: first.mobile }), new DuplicateValueError('mobile'))
    await t.rejects(
      accounts.create(phoneUser(catalog, { username: first.profile!.username })),
      new DuplicateValueError('username')
    )
  })

  t.test('a refused create leaves nothing behind', async (t) => {
    const { accounts, pushTokens, catalog } = await make(t)
    const first = phoneUser(catalog)
    await accounts.create(first)
    const clash = { ...phoneUser(catalog, { username: first.profile!.username }), pushToken: 'orphan-token' }
    await t.rejects(accounts.create(clash))
    t.equal(await accounts.findById(clash.id), null)
    t.equal(await accounts.findByMobile(clash.mobile!), null)
    t.same(await pushTokens.list(clash.id), [])
  })

  t.test('a sign-up with a confirmed identity stores it with the account', async (t) => {
    const { accounts, identities, catalog } = await make(t)
    const identity = confirmedIdentity()
    const input = { ...phoneUser(catalog), identity }
    const created = await accounts.create(input)
    t.notOk('identity' in created, 'the account itself carries no confirmation')
    t.same(await identities.find(input.id), identity)
    const plain = phoneUser(catalog)
    await accounts.create({ ...plain, identity: null })
    t.equal(await identities.find(plain.id), null, 'none given, none stored')
  })

  t.test('a verification id used before refuses the whole sign-up', async (t) => {
    const { accounts, identities, pushTokens, catalog } = await make(t)
    const identity = confirmedIdentity()
    const first = { ...phoneUser(catalog), identity }
    await accounts.create(first)
    const replays = [
      { ...phoneUser(catalog), pushToken: `replay-${identity.verificationId}`, identity },
      { ...phoneUser(catalog), identity: confirmedIdentity({ verificationId: identity.verificationId, ci: 'other' }) }
    ]
    for (const replay of replays) {
      await t.rejects(accounts.create(replay), new DuplicateValueError('identity_verification_id'))
      t.equal(await accounts.findById(replay.id), null, 'no account row')
      t.equal(await accounts.findByMobile(replay.mobile!), null)
      t.equal(await identities.find(replay.id), null)
    }
    t.same(await pushTokens.list(replays[0]!.id), [], 'nor its push token')
    await accounts.delete(first.id)
    const afterDeletion = { ...phoneUser(catalog), identity }
    await t.rejects(
      accounts.create(afterDeletion),
      new DuplicateValueError('identity_verification_id'),
      'the id stays used after its member is deleted'
    )
    t.equal(await accounts.findById(afterDeletion.id), null)
    // The refused sign-ups held nothing: their number and username are free.
    const { mobile, profile } = replays[0]!
    await accounts.create({ ...phoneUser(catalog, { username: profile!.username }), mobile })
  })

  t.test('ten parallel creates with one email: exactly one wins', async (t) => {
    const { accounts } = await make(t)
    const email = `race-${uniqueSuffix()}@example.com`
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => accounts.create(emailUser({ email }))))
    t.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
    for (const result of results) if (result.status === 'rejected') t.ok(result.reason instanceof DuplicateValueError)
  })

  t.test('delete removes the user and everything that is theirs', async (t) => {
    const { accounts, pushTokens, catalog } = await make(t)
    const input = { ...phoneUser(catalog), pushToken: 'device-x' }
    await accounts.create(input)
    const { avatarKey, profileKey, verificationFiles } = input.profile!
    const files = [avatarKey!, profileKey!, ...verificationFiles.map((file) => file.key)]
    t.same((await accounts.delete(input.id))?.sort(), [...files].sort(), 'answers the stored files it queued')
    t.equal(await accounts.findById(input.id), null)
    t.equal(await accounts.findProfileById(input.id), null)
    t.same(await pushTokens.list(input.id), [])
    t.equal(await accounts.delete(input.id), null)
    // The mobile and username are free again.
    await accounts.create({ ...phoneUser(catalog, { username: input.profile!.username }), mobile: input.mobile })
    t.equal(await accounts.delete(emailUser().id), null, 'no such user')
  })

  t.test('an upload key belongs to one member', async (t) => {
    const { accounts, catalog } = await make(t)
    const first = phoneUser(catalog)
    await accounts.create(first)
    const held = first.profile!
    const clashes: Array<[DuplicateField, Partial<PhoneProfile>]> = [
      ['avatar', { avatarKey: held.avatarKey }],
      ['profile', { profileKey: held.profileKey }],
      ['verification_files', { verificationFiles: [{ key: held.verificationFiles[1]!.key, displayOrder: 0 }] }]
    ]
    for (const [field, overrides] of clashes) {
      const second = phoneUser(catalog, overrides)
      await t.rejects(accounts.create(second), new DuplicateValueError(field), `${field} already held`)
      t.equal(await accounts.findById(second.id), null, `${field}: nothing half-written`)
    }
    const twice = phoneUser(catalog)
    const file = twice.profile!.verificationFiles[0]!
    await t.rejects(
      accounts.create({
        ...twice,
        profile: { ...twice.profile!, verificationFiles: [file, { ...file, displayOrder: 1 }] }
      }),
      new DuplicateValueError('verification_files'),
      'one key twice in one sign-up'
    )
    t.equal(await accounts.findById(twice.id), null)
  })

  t.test('tokens-valid-after is stored to the millisecond', async (t) => {
    const { accounts } = await make(t)
    const input = emailUser()
    await accounts.create(input)
    t.equal((await accounts.findById(input.id))?.tokensValidAfter, null)
    const instant = new Date('2026-05-01T10:00:00.123Z')
    await accounts.setTokensValidAfter(input.id, instant)
    t.equal((await accounts.findById(input.id))?.tokensValidAfter?.toISOString(), instant.toISOString())
    await accounts.setTokensValidAfter(input.id, new Date(instant.getTime() - 1))
    t.equal(
      (await accounts.findById(input.id))?.tokensValidAfter?.toISOString(),
      instant.toISOString(),
      'an earlier cutoff landing last never moves it back'
    )
    const later = new Date(instant.getTime() + 5000)
    await accounts.setTokensValidAfter(input.id, later)
    t.equal(
      (await accounts.findById(input.id))?.tokensValidAfter?.toISOString(),
      later.toISOString(),
      'a later one moves it'
    )
  })

  t.test('a new password and a new number (one another account holds is refused)', async t => {
    const { accounts, catalog } = await make(t)
    const member = phoneUser(catalog)
    const other = emailUser()
    await accounts.create(member)
    await accounts.create(other)
    t.equal(await accounts.setPassword(member.id, 'hash-3'), true)
    t.equal((await accounts.findById(member.id))?.passwordHash, 'hash-3')
    t.equal(await accounts.setPassword(randomUUID(), 'x'), false)
    const number = `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
    t.equal(await accounts.setMobile(other.id, number), true)
    t.equal((await accounts.findByMobile(number))?.id, other.id)
    await t.rejects(accounts.setMobile(member.id, number), new DuplicateValueError('mobile'))
    t.equal(await accounts.setMobile(randomUUID(), number), false)
  })

  t.test('the language is kept from sign-up and changed on request, by every lookup', async (t) => {
    const { accounts, catalog } = await make(t)
    const english = emailUser({ language: 'en' })
    const korean = phoneUser(catalog)
    await accounts.create(english)
    await accounts.create(korean)
    t.equal((await accounts.findByEmail(english.email!))?.language, 'en')
    t.equal((await accounts.findByMobile(korean.mobile!))?.language, 'ko')
    await accounts.setLanguage(korean.id, 'en')
    t.equal((await accounts.findById(korean.id))?.language, 'en')
    t.equal((await accounts.findProfileById(korean.id))?.language, 'en')
    t.equal((await accounts.findById(english.id))?.language, 'en', 'the other member is untouched')
  })

  t.test('the card\'s standing follows every change of status, sign-out instant and existence', async (t) => {
    const fixture = await make(t)
    const { accounts, catalog } = fixture
    const recordDecision = recordDecisionOn(fixture)
    const input = phoneUser(catalog)
    const findStanding = async (id: string) => {
      const card = await accounts.findCard(id)
      return card === null ? null : { status: card.status, tokensValidAfter: card.tokensValidAfter }
    }
    t.equal(await findStanding(input.id), null, 'no such user yet')
    await accounts.create(input)
    t.same(await findStanding(input.id), { status: 'pending', tokensValidAfter: null })
    await recordDecision(input.id, 'approved', null)
    t.same(await findStanding(input.id), { status: 'approved', tokensValidAfter: null })
    const instant = new Date('2026-05-01T10:00:00.123Z')
    await accounts.setTokensValidAfter(input.id, instant)
    t.equal((await findStanding(input.id))?.tokensValidAfter?.toISOString(), instant.toISOString())
    const cutoff = new Date('2026-05-02T10:00:00.456Z')
    t.equal(await recordDecision(input.id, 'rejected', 'no', cutoff), true)
    t.same(
      await findStanding(input.id),
      { status: 'rejected', tokensValidAfter: cutoff },
      'status and cutoff in one write'
    )
    t.equal((await accounts.findById(input.id))?.rejectionReason, 'no')
    await accounts.delete(input.id)
    t.equal(await findStanding(input.id), null, 'gone after deletion')
    t.equal(await recordDecision(input.id, 'approved', null), false)
    t.equal(await findStanding(input.id), null)
  })

  t.test('the card shows the public fields and follows a new number and a confirmed address', async (t) => {
    const { accounts, emailChanges, catalog } = await make(t)
    const input = phoneUser(catalog)
    const created = await accounts.create(input)
    t.same(await accounts.findCard(input.id), {
      status: 'pending',
      tokensValidAfter: null,
      email: null,
      mobile: input.mobile,
      createdAt: created.createdAt
    })
    const mobile = phoneUser(catalog).mobile!
    t.equal(await accounts.setMobile(input.id, mobile), true)
    t.equal((await accounts.findCard(input.id))?.mobile, mobile, 'the new number')
    const email = `card-${uniqueSuffix()}@example.com`
    await emailChanges.stageEmail(input.id, email, 'hash-new')
    t.equal((await accounts.findCard(input.id))?.email, null, 'a staged address is not the member\'s yet')
    await emailChanges.confirmEmail(input.id, new Date())
    t.same(
      await accounts.findCard(input.id),
      { status: 'pending', tokensValidAfter: null, email, mobile, createdAt: created.createdAt },
      'the confirmed address'
    )
    t.notOk(Object.hasOwn((await accounts.findCard(input.id))!, 'passwordHash'), 'no secret on the card')
  })

  t.test('ping answers', async (t) => {
    const { accounts } = await make(t)
    await t.resolves(accounts.ping())
  })
}
