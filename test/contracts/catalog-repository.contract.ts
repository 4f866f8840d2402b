import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { DuplicateNameError } from '../../src/domain/errors.js'
import type {
  CatalogItem,
  CatalogKind,
  CatalogRepository
} from '../../src/application/ports/records/catalog-repository.js'
import { uniqueSuffix } from '../helpers/services.js'

export function catalogItem (kind: CatalogKind, overrides: Partial<CatalogItem> = {}): CatalogItem {
  return {
    id: randomUUID(),
    name: `${kind === 'interest' ? '관심사' : '직업'} ${uniqueSuffix()}`,
    emoji: kind === 'interest' ? '⛳' : '👨‍⚕️',
    imageKey: kind === 'interest' ? `images/interests/interest_${uniqueSuffix()}.jpeg` : null,
    ...overrides
  }
}

/** Code-point order, the order the port promises on every adapter. */
const inCodePointOrder = (names: string[]): boolean =>
  names.every((name, i) => i === 0 || Buffer.compare(Buffer.from(names[i - 1]!), Buffer.from(name)) < 0)

/** What the promise rejects with, or undefined if it resolves. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

/**
 * One contract for every CatalogRepository adapter: memory, PGlite, PostgreSQL. A migrated
 * database already holds the starter catalog, so every check looks at the items it added itself.
 */
export function catalogRepositoryContract (t: Test, make: (t: Test) => Promise<CatalogRepository>): void {
  t.test('an added item is listed and found as it was given', async (t) => {
    const catalog = await make(t)
    const interest = catalogItem('interest')
    const profession = catalogItem('profession')
    await catalog.add('interest', interest)
    await catalog.add('profession', profession)
    t.same((await catalog.list('interest')).find((item) => item.id === interest.id), interest)
    t.same((await catalog.list('profession')).find((item) => item.id === profession.id), profession)
    t.same(await catalog.findByIds('interest', [interest.id]), [interest])
    t.same(await catalog.findByIds('profession', [profession.id]), [profession])
  })

  t.test('each kind is listed in code-point name order, whatever the database locale', async (t) => {
    const catalog = await make(t)
    const prefix = uniqueSuffix()
    // A locale collation would put "apple" before "Zebra" and might ignore the spaces.
    const names = [`${prefix} 다`, `${prefix} Zebra`, `${prefix} 가`, `${prefix} apple`, `${prefix}가`]
    for (const name of names) await catalog.add('interest', catalogItem('interest', { name }))
    for (const name of names) await catalog.add('profession', catalogItem('profession', { name }))
    for (const kind of ['interest', 'profession'] as const) {
      const listed = (await catalog.list(kind)).map((item) => item.name)
      t.ok(inCodePointOrder(listed), `${kind}: whole list in order`)
      t.same(
        listed.filter(name => names.includes(name)),
        [`${prefix} Zebra`, `${prefix} apple`, `${prefix} 가`, `${prefix} 다`, `${prefix}가`],
        kind
      )
    }
  })

  t.test('findByIds keeps the order of the ids and leaves out unknown ones', async (t) => {
    const catalog = await make(t)
    const [a, b, c] = [catalogItem('interest'), catalogItem('interest'), catalogItem('interest')]
    const profession = catalogItem('profession')
    for (const item of [a, b, c]) await catalog.add('interest', item)
    await catalog.add('profession', profession)
    t.same(await catalog.findByIds('interest', [c.id, randomUUID(), a.id, b.id]), [c, a, b])
    t.same(await catalog.findByIds('interest', []), [])
    t.same(await catalog.findByIds('interest', [randomUUID()]), [])
    // Not a uuid: unknown, not a failed query.
    t.same(await catalog.findByIds('interest', ['not-a-uuid', b.id]), [b])
    // Ids are uuids, so their case does not matter.
    t.same(await catalog.findByIds('interest', [a.id.toUpperCase()]), [a])
    // Each kind answers for its own items only.
    t.same(await catalog.findByIds('profession', [a.id, profession.id]), [profession])
    t.same(await catalog.findByIds('interest', [profession.id]), [])
  })

  t.test('a name is unique within its kind', async (t) => {
    const catalog = await make(t)
    const first = catalogItem('interest')
    await catalog.add('interest', first)
    const error = await rejection(catalog.add('interest', catalogItem('interest', { name: first.name })))
    t.ok(error instanceof DuplicateNameError, 'DuplicateNameError')
    t.equal((error as DuplicateNameError).itemName, first.name)
    t.same((await catalog.list('interest')).filter((item) => item.name === first.name), [first])

    const profession = catalogItem('profession')
    await catalog.add('profession', profession)
    t.ok(
      (await rejection(catalog.add('profession', catalogItem('profession', { name: profession.name })))) instanceof
        DuplicateNameError
    )
  })

  t.test('ten parallel adds of one name: exactly one succeeds', async (t) => {
    const catalog = await make(t)
    const name = `경합 ${uniqueSuffix()}`
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => catalog.add('interest', catalogItem('interest', { name })))
    )
    t.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
    for (const result of results) if (result.status === 'rejected') t.ok(result.reason instanceof DuplicateNameError)
    t.equal((await catalog.list('interest')).filter((item) => item.name === name).length, 1)
  })

  t.test('the same name may be an interest and a profession', async (t) => {
    const catalog = await make(t)
    const name = `요가 ${uniqueSuffix()}`
    await catalog.add('interest', catalogItem('interest', { name }))
    await catalog.add('profession', catalogItem('profession', { name }))
    t.equal((await catalog.list('interest')).filter((item) => item.name === name).length, 1)
    t.equal((await catalog.list('profession')).filter((item) => item.name === name).length, 1)
  })

  t.test('interests keep their image key; professions have none', async (t) => {
    const catalog = await make(t)
    const withImage = catalogItem('interest')
    const withoutImage = catalogItem('interest', { imageKey: null })
    const profession = catalogItem('profession', { imageKey: 'images/professions/ignored.jpeg' })
    await catalog.add('interest', withImage)
    await catalog.add('interest', withoutImage)
    await catalog.add('profession', profession)
    t.same(
      (await catalog.findByIds('interest', [withImage.id, withoutImage.id])).map(item => item.imageKey),
      [withImage.imageKey, null]
    )
    t.equal((await catalog.findByIds('profession', [profession.id]))[0]?.imageKey, null)
    t.ok((await catalog.list('profession')).every((item) => item.imageKey === null))
  })

  t.test('an id that is taken or not a uuid is refused', async (t) => {
    const catalog = await make(t)
    const item = catalogItem('interest')
    await catalog.add('interest', item)
    const error = await rejection(catalog.add('interest', catalogItem('interest', { id: item.id })))
    t.ok(error instanceof Error && !(error instanceof DuplicateNameError), 'a failure, but not a name clash')
    await t.rejects(catalog.add('interest', catalogItem('interest', { id: 'not-a-uuid' })))
  })

  t.test('update changes the given fields only and answers the item as it now is', async (t) => {
    const catalog = await make(t)
    const interest = catalogItem('interest')
    await catalog.add('interest', interest)
    const renamed = { ...interest, name: `새 이름 ${uniqueSuffix()}` }
    t.same(
      await catalog.update('interest', interest.id, { name: renamed.name }),
      renamed,
      'a rename keeps emoji and image'
    )
    t.same(await catalog.findByIds('interest', [interest.id]), [renamed])
    const redrawn = { ...renamed, emoji: '🎾', imageKey: null }
    t.same(
      await catalog.update('interest', interest.id.toUpperCase(), { emoji: '🎾', imageKey: null }),
      redrawn,
      'emoji and image; the id in any case'
    )
    t.same(await catalog.update('interest', interest.id, {}), redrawn, 'no change: the item as it is')
    t.same(await catalog.update('interest', interest.id, { name: renamed.name }), redrawn, 'its own name is not taken')
    t.same((await catalog.list('interest')).find((item) => item.id === interest.id), redrawn)

    const profession = catalogItem('profession')
    await catalog.add('profession', profession)
    const changed = await catalog.update('profession', profession.id, {
      emoji: '🧑‍🍳',
      imageKey: 'images/professions/ignored.jpeg'
    })
    t.same(changed, { ...profession, emoji: '🧑‍🍳', imageKey: null }, 'a profession keeps no image')
  })

  t.test('update refuses a name taken within the kind and answers null for an unknown item', async (t) => {
    const catalog = await make(t)
    const [first, second] = [catalogItem('interest'), catalogItem('interest')]
    await catalog.add('interest', first)
    await catalog.add('interest', second)
    const error = await rejection(catalog.update('interest', second.id, { name: first.name, emoji: '💥' }))
    t.ok(error instanceof DuplicateNameError, 'DuplicateNameError, as add throws')
    t.equal((error as DuplicateNameError).itemName, first.name)
    t.same(await catalog.findByIds('interest', [second.id]), [second], 'nothing of the refused change is kept')

    const profession = catalogItem('profession')
    await catalog.add('profession', profession)
    t.equal(
      (await catalog.update('profession', profession.id, { name: first.name }))?.name,
      first.name,
      'the other kind may have the name'
    )

    t.equal(await catalog.update('interest', randomUUID(), { name: 'nobody' }), null, 'unknown id')
    t.equal(await catalog.update('interest', 'not-a-uuid', { name: 'nobody' }), null, 'not a uuid: unknown')
    t.equal(await catalog.update('profession', first.id, { name: 'nobody' }), null, 'an interest is no profession')
  })

  t.test('two renames racing to one name: exactly one succeeds', async (t) => {
    const catalog = await make(t)
    const items = Array.from({ length: 5 }, () => catalogItem('interest'))
    for (const item of items) await catalog.add('interest', item)
    const name = `경합 ${uniqueSuffix()}`
    const results = await Promise.allSettled(items.map((item) => catalog.update('interest', item.id, { name })))
    t.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
    for (const result of results) if (result.status === 'rejected') t.ok(result.reason instanceof DuplicateNameError)
    t.equal((await catalog.list('interest')).filter((item) => item.name === name).length, 1)
  })

  t.test('callers cannot change stored items through the objects they pass or get', async (t) => {
    const catalog = await make(t)
    const item = catalogItem('interest')
    await catalog.add('interest', item)
    item.name = 'changed after add'
    const [found] = await catalog.findByIds('interest', [item.id])
    t.not(found?.name, 'changed after add')
    found!.emoji = '💥'
    const listed = (await catalog.list('interest')).find((other) => other.id === item.id)
    t.equal(listed?.emoji, '⛳')
  })
}
