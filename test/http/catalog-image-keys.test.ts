import t from 'tap'
import { buildTestApp, type TestPorts } from '../helpers/build-test-app.js'
import { addStaff, form, signInStaff, withCookie } from '../helpers/console-flows.js'
import { admin } from '../helpers/phone-flows.js'
import { uniqueSuffix } from '../helpers/services.js'
import { toShortUuid } from '../../src/domain/short-uuid.js'

// Issue 22, finding 6: the apps get an interest's image as MEDIA_BASE_URL + key, so a key is only
// taken under the catalog's own folder (src/domain/catalog-image.ts), from either surface.
const HOSTILE = [
  '../../../etc/passwd',
  '//evil.example/x.png',
  'https://evil.example/x.png',
  'javascript:alert(1)',
  'images/interests/../../x.png',
  '%2e%2e/x',
  'images/interests/%2e%2e/%2e%2e/x.png',
  'images\\interests\\x.png',
  'images/interests/..\\..\\x.png',
  'images/interests//x.png',
  'images/users/avatars/someone.jpeg'
]

/** Every catalog item as stored: what a refused request must leave as it was. */
async function catalogOf (ports: TestPorts) {
  return { interests: await ports.catalog.list('interest'), professions: await ports.catalog.list('profession') }
}

t.test(
  "admin API: a key outside the catalog folder is 400 on image in the phone door's format; nothing is stored",
  async t => {
    const { app, ports } = await buildTestApp(t)
    const before = await catalogOf(ports)
    for (const image of HOSTILE) {
      const res = await app.inject({
        method: 'POST',
        url: '/admin/interests',
        headers: admin,
        payload: { name: `취미${uniqueSuffix()}`, emoji: '⛳', image }
      })
      t.equal(res.statusCode, 400, image)
      t.same(res.json(), { image: ['이 항목에 사용할 수 없는 파일 경로입니다.'] }, `${image}: the field error`)
    }
    const english = await app.inject({
      method: 'POST',
      url: '/admin/interests',
      headers: { ...admin, 'accept-language': 'en' },
      payload: { name: '서핑', emoji: '🏄', image: '//evil.example/x.png' }
    })
    t.same(
      [english.statusCode, english.json()],
      [400, { image: ['This file key cannot be used here.'] }],
      'in English with Accept-Language: en'
    )
    const both = await app.inject({
      method: 'POST',
      url: '/admin/interests',
      headers: admin,
      payload: { name: ' ', emoji: '⛳', image: '../x' }
    })
    t.same(Object.keys(both.json()).sort(), ['image', 'name'], 'every refused field at once')
    const long = await app.inject({
      method: 'POST',
      url: '/admin/interests',
      headers: admin,
      payload: { name: '서핑', emoji: '🏄', image: 'images/interests/' + 'x'.repeat(200) }
    })
    t.same([long.statusCode, Object.keys(long.json())], [400, ['image']], 'an over-long key')
    t.same(await catalogOf(ports), before, 'no catalog item written')

    const profession = await app.inject({
      method: 'POST',
      url: '/admin/professions',
      headers: admin,
      payload: { name: '셰프', emoji: '👨‍🍳', image: '../../../etc/passwd' }
    })
    t.equal(profession.statusCode, 201, "a profession's image is ignored, as documented")
    t.equal(
      (await ports.catalog.list('profession')).find(item => item.name === '셰프')?.imageKey,
      null,
      'and not stored'
    )

    const fine = await app.inject({
      method: 'POST',
      url: '/admin/interests',
      headers: admin,
      payload: { name: '서핑', emoji: '🏄', image: ' images/interests/interest_surfing.jpeg ' }
    })
    t.equal(fine.statusCode, 201, fine.body)
    t.equal(fine.json().image, '/media/images/interests/interest_surfing.jpeg')
    t.equal(
      (await ports.catalog.list('interest')).find(item => item.name === '서핑')?.imageKey,
      'images/interests/interest_surfing.jpeg',
      'stored trimmed'
    )
    const listed = await app.inject({ method: 'GET', url: '/api/interests/' })
    t.ok(
      listed
        .json()
        .every(
          (item: { image: string | null }) => item.image === null || item.image.startsWith('/media/images/interests/')
        ),
      'every image the apps get is under the catalog folder'
    )
  }
)

t.test(
  'console: adding or changing an interest with such a key re-renders the form with the error; nothing is stored',
  async t => {
    const { app, ports } = await buildTestApp(t)
    const staff = await addStaff(ports, 'admin')
    const { cookie, csrf } = await signInStaff(app, ports, staff)
    const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
      const request = withCookie(form({ _csrf: csrf!, ...fields }), cookie!)
      return app.inject({ method: 'POST', url, ...request, headers: { ...request.headers, ...headers } })
    }
    const golf = (await ports.catalog.list('interest')).find(
      item => item.imageKey === 'images/interests/interest_golf.jpeg'
    )!
    const before = await catalogOf(ports)

    for (const image of HOSTILE) {
      const added = await post('/console/catalogs/interests', { name: `취미${uniqueSuffix()}`, emoji: '⛳', image })
      t.equal(added.statusCode, 400, `add ${image}`)
      t.match(added.headers['content-type'], 'text/html')
      t.match(
        added.body,
        '이미지 키는 images/interests/ 아래의 파일 경로여야 합니다',
        `add ${image}: the form with the error`
      )
      const changed = await post(`/console/catalogs/interests/${toShortUuid(golf.id)}`, {
        name: golf.name,
        emoji: golf.emoji,
        image
      })
      t.equal(changed.statusCode, 400, `change ${image}`)
      t.match(
        changed.body,
        '이미지 키는 images/interests/ 아래의 파일 경로여야 합니다',
        `change ${image}: the form with the error`
      )
    }
    const english = await post(
      '/console/catalogs/interests',
      { name: '서핑', emoji: '🏄', image: '//evil.example/x.png' },
      { 'accept-language': 'en' }
    )
    t.equal(english.statusCode, 400)
    t.match(english.body, 'The image key must be a file path under images/interests/')
    t.match(english.body, '<form', 'the catalog forms are shown again')
    t.same(await catalogOf(ports), before, 'no catalog item added or changed')

    const renamed = await post(`/console/catalogs/interests/${toShortUuid(golf.id)}`, {
      name: golf.name,
      emoji: golf.emoji,
      image: golf.imageKey!
    })
    t.equal(renamed.statusCode, 303, 'a starter item keeps its key when saved again')
    const added = await post('/console/catalogs/interests', {
      name: '서핑',
      emoji: '🏄',
      image: 'images/interests/2025/interest_surfing.webp'
    })
    t.equal(added.statusCode, 303, added.body.replace(/[\s\S]*<main>/, '').slice(0, 300))
    t.equal(
      (await ports.catalog.list('interest')).find(item => item.name === '서핑')?.imageKey,
      'images/interests/2025/interest_surfing.webp'
    )
    t.equal(
      (await post('/console/catalogs/professions', { name: '셰프', emoji: '👨‍🍳', image: '../../../etc/passwd' }))
        .statusCode,
      303,
      'a profession has no image: the field is ignored'
    )
    t.equal((await ports.catalog.list('profession')).find(item => item.name === '셰프')?.imageKey, null)
  }
)
