import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateValueError } from '../../src/domain/errors.js'
import { emailUser, memberPasskey, type MakeUserStores } from './user-stores-fixture.js'

const REGISTERED = new DuplicateValueError('passkey')

/** One contract for every Passkeys adapter: memory, PGlite, PostgreSQL. */
export function passkeysContract (t: Test, make: MakeUserStores): void {
  t.test('passkeys read back field for field, the key\'s bytes as given, oldest first', async t => {
    const { accounts, passkeys } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const newer = memberPasskey(member.id, { createdAt: new Date('2026-05-03T01:02:03.456Z') })
    const older = memberPasskey(member.id, {
      // A counter past 2^31, as a hardware key's may be.
      counter: 4_294_967_295,
      transports: [],
      deviceType: 'singleDevice',
      backedUp: false,
      name: '내 보안 키',
      lastUsedAt: new Date('2026-05-02T00:00:00.001Z')
    })
    t.equal(await passkeys.add(newer), true)
    t.equal(await passkeys.add(older), true)
    const found = await passkeys.find(newer.credentialId)
    t.same(found, newer)
    t.ok(found?.publicKey instanceof Uint8Array)
    t.same(Array.from(found!.publicKey), Array.from(newer.publicKey), 'every byte, 0x00 and 0xff included')
    t.same(await passkeys.find(older.credentialId), older)
    t.same(await passkeys.listByMember(member.id), [older, newer])
    t.equal(await passkeys.find(`cred-${randomUUID()}`), null)
    t.same(await passkeys.listByMember(randomUUID()), [])
  })

  t.test('a credential registers once, and only to a member who is there', async t => {
    const { accounts, passkeys } = await make(t)
    const [member, other] = [emailUser(), emailUser()]
    await accounts.create(member)
    await accounts.create(other)
    const first = memberPasskey(member.id)
    await passkeys.add(first)
    await t.rejects(passkeys.add({ ...first, counter: 3 }), REGISTERED, 'to the same member')
    await t.rejects(passkeys.add({ ...first, memberId: other.id }), REGISTERED, 'to another member')
    t.same(await passkeys.find(first.credentialId), first, 'the first stands')
    const missing = memberPasskey(randomUUID())
    t.equal(await passkeys.add(missing), false, 'no such member')
    t.equal(await passkeys.find(missing.credentialId), null)
  })

  t.test('a use moves the counter forward only, and records the backup flag and instant', async t => {
    const { accounts, passkeys } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const key = memberPasskey(member.id, { counter: 5, backedUp: false })
    await passkeys.add(key)
    const at = new Date('2026-06-01T09:00:00.123Z')
    for (const counter of [5, 4, 0]) {
      t.equal(await passkeys.recordUse(key.credentialId, { counter, backedUp: true, at }), false, `${counter} refused`)
    }
    t.same(await passkeys.find(key.credentialId), key, 'the refusals wrote nothing')
    t.equal(await passkeys.recordUse(key.credentialId, { counter: 6, backedUp: true, at }), true)
    t.same(await passkeys.find(key.credentialId), { ...key, counter: 6, backedUp: true, lastUsedAt: at })
    t.equal(await passkeys.recordUse(key.credentialId, { counter: 6, backedUp: true, at }), false, 'a replayed count')
    t.equal(
      await passkeys.recordUse(`cred-${randomUUID()}`, { counter: 1, backedUp: false, at }),
      false,
      'no such passkey'
    )
  })

  t.test('authenticators that keep no counter sign in with 0 every time, until one counts', async t => {
    const { accounts, passkeys } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const key = memberPasskey(member.id, { counter: 0 })
    await passkeys.add(key)
    const [first, second] = [new Date('2026-06-01T09:00:00.000Z'), new Date('2026-06-02T09:00:00.000Z')]
    t.equal(await passkeys.recordUse(key.credentialId, { counter: 0, backedUp: true, at: first }), true)
    t.equal(await passkeys.recordUse(key.credentialId, { counter: 0, backedUp: false, at: second }), true)
    t.same(await passkeys.find(key.credentialId), { ...key, backedUp: false, lastUsedAt: second })
    t.equal(await passkeys.recordUse(key.credentialId, { counter: 2, backedUp: false, at: second }), true)
    t.equal(
      await passkeys.recordUse(key.credentialId, { counter: 0, backedUp: false, at: second }),
      false,
      'back to 0 once it counted'
    )
  })

  t.test('ten sign-ins racing with one counter value: exactly one is recorded', async t => {
    const { accounts, passkeys } = await make(t)
    const member = emailUser()
    await accounts.create(member)
    const key = memberPasskey(member.id, { counter: 7 })
    await passkeys.add(key)
    const use = { counter: 8, backedUp: true, at: new Date() }
    const results = await Promise.all(Array.from({ length: 10 }, () => passkeys.recordUse(key.credentialId, use)))
    t.equal(results.filter(Boolean).length, 1)
    t.equal((await passkeys.find(key.credentialId))?.counter, 8)
  })

  t.test('a member removes only their own passkeys', async t => {
    const { accounts, passkeys } = await make(t)
    const [member, other] = [emailUser(), emailUser()]
    await accounts.create(member)
    await accounts.create(other)
    const [key, spare] = [memberPasskey(member.id), memberPasskey(member.id)]
    await passkeys.add(key)
    await passkeys.add(spare)
    t.equal(await passkeys.remove(other.id, key.credentialId), false, 'another member\'s passkey')
    t.same(await passkeys.find(key.credentialId), key)
    t.equal(await passkeys.remove(member.id, key.credentialId), true)
    t.equal(await passkeys.find(key.credentialId), null)
    t.same(await passkeys.listByMember(member.id), [spare])
    t.equal(await passkeys.remove(member.id, key.credentialId), false, 'twice')
  })
}
