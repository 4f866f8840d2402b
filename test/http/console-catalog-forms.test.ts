import t from 'tap'
import { CONSOLE_TEXTS } from '../../src/adapters/http/console/console-texts.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { uniqueSuffix } from '../helpers/services.js'

const english = { 'accept-language': 'en' }
const { errors } = CONSOLE_TEXTS.en

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
  for (const name of [first, second]) t.equal((await post('/console/catalogs/professions', { name, emoji: '🧪' })).statusCode, 303)
  const { toShortUuid } = await import('../../src/domain/short-uuid.js')
  const item = (await ports.catalog.list('profession')).find((entry) => entry.name === second)!
  const renamed = await post(`/console/catalogs/professions/${toShortUuid(item.id)}`, { name: first, emoji: '🧪' })
  t.equal(renamed.statusCode, 400)
  t.match(renamed.body, errors.name_taken)
})
