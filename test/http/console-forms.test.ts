import t from 'tap'
import { CatalogForm, RejectForm } from '../../src/adapters/http/console/console-schemas.js'
import { CONSOLE_TEXTS } from '../../src/adapters/http/console/pages/console-texts.js'
import { CATALOG_EMOJI_MAX_LENGTH, CATALOG_NAME_MAX_LENGTH } from '../../src/application/catalog/catalog.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { injectUploader, registration, withUploads } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

const english = { 'accept-language': 'en' }
const { errors } = CONSOLE_TEXTS.en

/** The maxLength a route schema's field declares (TypeBox's TString does not type it). */
function maxLengthOf (schema: object): number {
  const value: unknown = Reflect.get(schema, 'maxLength')
  if (typeof value !== 'number') throw new Error('no maxLength')
  return value
}

async function signedInAdmin (t: Parameters<typeof buildTestApp>[0]) {
  const { app, ports } = await buildTestApp(t)
  const admin = await addStaff(ports, 'admin')
  const { cookie, csrf } = await signInStaff(app, ports, admin)
  const post = (url: string, fields: Record<string, string>) => {
    const request = withCookie(form({ _csrf: csrf!, ...fields }), cookie!)
    return app.inject({ method: 'POST', url, ...request, headers: { ...request.headers, ...english } })
  }
  return { app, ports, cookie: cookie!, post }
}

t.test('a duplicate catalog name is reported as taken; a name with a control character as invalid', async (t) => {
  const { post } = await signedInAdmin(t)
  const name = `취미${uniqueSuffix()}`
  t.equal((await post('/console/catalogs/professions', { name, emoji: '🧪' })).statusCode, 303)

  const again = await post('/console/catalogs/professions', { name, emoji: '🧪' })
  t.equal(again.statusCode, 400)
  t.match(again.body, errors.name_taken)
  t.notMatch(again.body, errors.invalid)

  const control = await post('/console/catalogs/professions', { name: `취미\u0007${uniqueSuffix()}`, emoji: '🧪' })
  t.equal(control.statusCode, 400)
  t.match(control.body, errors.invalid)
  t.notMatch(control.body, errors.name_taken, 'a control character is not a taken name')
})

t.test('renaming onto another item\'s name is reported as taken', async (t) => {
  const { post, ports } = await signedInAdmin(t)
  const first = `직업${uniqueSuffix()}`
  const second = `직업${uniqueSuffix()}`
  for (const name of [first, second]) {
    t.equal((await post('/console/catalogs/professions', { name, emoji: '🧪' })).statusCode, 303)
  }
  const { toShortUuid } = await import('../../src/domain/short-uuid.js')
  const item = (await ports.catalog.list('profession')).find((entry) => entry.name === second)!
  const renamed = await post(`/console/catalogs/professions/${toShortUuid(item.id)}`, { name: first, emoji: '🧪' })
  t.equal(renamed.statusCode, 400)
  t.match(renamed.body, errors.name_taken)
})

t.test('each form\'s maxlength is the limit its route\'s schema enforces', async (t) => {
  const { app, cookie, post } = await signedInAdmin(t)
  const page = await app.inject({ method: 'GET', url: '/console/catalogs', headers: { cookie } })
  const { properties } = CatalogForm
  const limits = {
    name: maxLengthOf(properties.name),
    emoji: maxLengthOf(properties.emoji),
    image: maxLengthOf(properties.image)
  }
  for (const [field, limit] of Object.entries(limits)) {
    const shown = [...page.body.matchAll(new RegExp(`<input[^>]* name="${field}"[^>]*>`, 'g'))].map(
      ([input]) => /maxlength="(\d+)"/i.exec(input)?.[1]
    )
    t.ok(shown.length >= 2, `the ${field} inputs are on the page`)
    t.same(new Set(shown), new Set([String(limit)]), `every ${field} input says maxlength ${limit}`)
  }
  t.equal(limits.name, CATALOG_NAME_MAX_LENGTH, 'the use-case\'s name limit')
  t.equal(limits.emoji, CATALOG_EMOJI_MAX_LENGTH, 'the use-case\'s emoji limit')

  const name = (length: number) => `${uniqueSuffix()}${'가'.repeat(length)}`.slice(-length)
  t.equal(
    (await post('/console/catalogs/professions', { name: name(limits.name), emoji: '🧪' })).statusCode,
    303,
    'a name at the limit is taken'
  )
  t.equal(
    (await post('/console/catalogs/professions', { name: name(limits.name + 1), emoji: '🧪' })).statusCode,
    400,
    'one more character is refused'
  )

  const registered = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: await withUploads(injectUploader(app), registration())
  })
  const member = await app.inject({
    method: 'GET',
    url: `/console/members/${registered.json().user.uuid}`,
    headers: { cookie }
  })
  t.equal(member.statusCode, 200)
  const reason = /<textarea[^>]* name="reason"[^>]*>/.exec(member.body)?.[0] ?? ''
  t.match(reason, `maxlength="${maxLengthOf(RejectForm.properties.reason)}"`, 'the rejection reason too')
})
