import Fastify from 'fastify'
import swagger from '@fastify/swagger'
import t, { type Test } from 'tap'
import {
  appAssociationRoutes,
  APPLE_APP_SITE_ASSOCIATION_PATH,
  ASSET_LINKS_PATH,
  type AppAssociation
} from '../../src/adapters/http/routes/app-association-routes.js'
import { SHARED_COMPILERS } from '../../src/adapters/http/schema-compilers.js'
import { OPENAPI_OPTIONS } from '../../src/adapters/http/schemas/openapi-document.js'

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7 % 256).toString(16).padStart(2, '0').toUpperCase())
  .join(':')
const OTHER_FINGERPRINT = FINGERPRINT.split(':').reverse().join(':')

/** The plugin alone, with the app's schema compilers and OpenAPI document, as build-app registers routes. */
async function appWith (t: Test, association: AppAssociation) {
  const app = Fastify({ schemaController: { compilersFactory: SHARED_COMPILERS } })
  await app.register(swagger, OPENAPI_OPTIONS)
  await app.register(appAssociationRoutes, association)
  t.teardown(() => app.close())
  return app
}

t.test('Apple: the webcredentials apps, as JSON', async (t) => {
  const app = await appWith(t, {
    appleAppIds: ['ABCDE12345.com.example.app', 'ABCDE12345.com.example.beta'],
    androidApps: []
  })
  const res = await app.inject({ method: 'GET', url: APPLE_APP_SITE_ASSOCIATION_PATH })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json(;|$)/, 'Apple takes the extension-less file only as JSON')
  t.match(res.headers['cache-control'], /^public, max-age=\d+$/)
  t.same(JSON.parse(res.body), {
    webcredentials: { apps: ['ABCDE12345.com.example.app', 'ABCDE12345.com.example.beta'] }
  }, 'exactly the document, nothing else')
})

t.test('Android: one get_login_creds statement per app, with its fingerprints', async (t) => {
  const app = await appWith(t, {
    appleAppIds: [],
    androidApps: [
      { packageName: 'com.example.app', fingerprints: [FINGERPRINT, OTHER_FINGERPRINT] },
      { packageName: 'com.example.beta', fingerprints: [OTHER_FINGERPRINT] }
    ]
  })
  const res = await app.inject({ method: 'GET', url: ASSET_LINKS_PATH })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json(;|$)/)
  t.same(JSON.parse(res.body), [
    {
      relation: ['delegate_permission/get_login_creds'],
      target: {
        namespace: 'android_app',
        package_name: 'com.example.app',
        sha256_cert_fingerprints: [FINGERPRINT, OTHER_FINGERPRINT]
      }
    },
    {
      relation: ['delegate_permission/get_login_creds'],
      target: {
        namespace: 'android_app',
        package_name: 'com.example.beta',
        sha256_cert_fingerprints: [OTHER_FINGERPRINT]
      }
    }
  ])
})

t.test('a platform with no app configured has no file: 404 in the phone door\'s format', async (t) => {
  const app = await appWith(t, { appleAppIds: [], androidApps: [] })
  for (const url of [APPLE_APP_SITE_ASSOCIATION_PATH, ASSET_LINKS_PATH]) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { detail: '찾을 수 없습니다.', code: 'not_found' })
    const english = await app.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } })
    t.same(english.json(), { detail: 'Not found.', code: 'not_found' })
    t.notOk(english.headers['cache-control'], 'a missing file is not cached as one')
  }
})

t.test('one platform configured, the other still 404', async (t) => {
  const app = await appWith(t, { appleAppIds: ['ABCDE12345.com.example.app'], androidApps: [] })
  t.equal((await app.inject({ method: 'GET', url: APPLE_APP_SITE_ASSOCIATION_PATH })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: ASSET_LINKS_PATH })).statusCode, 404)
})

t.test('both files are in the OpenAPI document, public, with their 404', async (t) => {
  const app = await appWith(t, { appleAppIds: [], androidApps: [] })
  await app.ready()
  const document = app.swagger() as { paths: Record<string, { get: Record<string, any> }> }
  for (const [path, operationId] of [
    [APPLE_APP_SITE_ASSOCIATION_PATH, 'getAppleAppSiteAssociation'],
    [ASSET_LINKS_PATH, 'getAssetLinks']
  ] as const) {
    const operation = document.paths[path]?.get
    t.equal(operation?.operationId, operationId)
    t.same(operation?.security, [], 'no credentials')
    t.ok(operation?.responses['200'] && operation.responses['404'], 'documents 200 and 404')
  }
})
