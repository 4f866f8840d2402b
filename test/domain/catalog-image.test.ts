import fc from 'fast-check'
import t from 'tap'
import { CATALOG_IMAGE_PREFIX, isCatalogImageKey, parseCatalogImageKey } from '../../src/domain/catalog-image.js'
import { ValidationError } from '../../src/domain/errors.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'

/** The field error parseCatalogImageKey throws, or null when it answers. */
function refusal (input: string): unknown {
  try {
    parseCatalogImageKey(input)
    return null
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    return error.fields
  }
}

t.test('keys under the catalog prefix pass, trimmed; blank or absent is no image', async (t) => {
  t.equal(CATALOG_IMAGE_PREFIX, 'images/interests/')
  for (const key of [
    'images/interests/interest_golf.jpeg',
    'images/interests/interest_P6kjacMDyoBQZXHVy3d6Q8.jpeg',
    'images/interests/2025/spring/hiking-2.webp',
    'images/interests/a',
    'images/interests/' + 'x'.repeat(183)
  ]) {
    t.equal(parseCatalogImageKey(key), key, key)
  }
  t.equal(parseCatalogImageKey('  images/interests/golf.png \n'), 'images/interests/golf.png')
  for (const blank of [null, undefined, '', '   ']) t.equal(parseCatalogImageKey(blank), null, JSON.stringify(blank))
})

t.test('every key of the starter catalog (what the migration seeds) passes', async (t) => {
  const keys = [...CATALOG_STARTER.interests, ...CATALOG_STARTER.professions]
    .map(item => item.imageKey)
    .filter(key => key !== null)
  t.equal(keys.length, 12)
  for (const key of keys) t.ok(isCatalogImageKey(key), key)
})

t.test('anything that could point outside the catalog folder is refused on image', async (t) => {
  const refused = [
    '../../../etc/passwd',
    '//evil.example/x.png',
    'https://evil.example/x.png',
    'http:images/interests/x.png',
    'javascript:alert(1)',
    'data:image/png;base64,AAAA',
    'file:///etc/passwd',
    'images/interests/../../x.png',
    'images/interests/../interests/x.png',
    'images/interests/./x.png',
    'images/interests/a..b.png',
    'images/interests/..',
    '%2e%2e/x',
    'images/interests/%2e%2e/%2e%2e/x.png',
    'images/interests/%2F%2Fevil.example',
    'images\\interests\\x.png',
    'images/interests/..\\..\\x.png',
    'images/interests\\..\\..\\x.png',
    '/images/interests/x.png',
    'images/interests/',
    'images/interests//x.png',
    'images/interests/x/',
    'images/interests/.hidden',
    'images/interests/-x.png',
    'images/interestsx.png',
    'images/users/avatars/a.jpeg',
    'IMAGES/INTERESTS/x.png',
    'images/interests/x y.png',
    'images/interests/x.png?y=1',
    'images/interests/x.png#y',
    'images/interests/x\u0000.png',
    'images/interests/x\u0001.png',
    'images/interests/x\n.png',
    'images/interests/x\u007f.png',
    'images/interests/골프.png',
    'images/interests/x\uff0e\uff0e/y.png'
  ]
  for (const key of refused) t.same(refusal(key), { image: ['invalid_upload_key'] }, JSON.stringify(key))
  t.same(refusal('images/interests/' + 'x'.repeat(184)), { image: ['too_long'] }, 'past 200 characters')
})

t.test('whatever passes stays under the prefix when resolved as a URL below a media base', async (t) => {
  const base = 'https://media.example.com/media/'
  const chars = fc.constantFrom(...'aZ09._-/\\:%?#@ \u0000\u202e'.split(''), '..', '//', '%2e', '%2f', 'http:')
  const keys = fc.oneof(
    fc.array(chars, { maxLength: 12 }).map((parts) => CATALOG_IMAGE_PREFIX + parts.join('')),
    fc.string({ maxLength: 40 }).map((rest) => CATALOG_IMAGE_PREFIX + rest),
    fc.string({ maxLength: 40 })
  )
  let passed = 0
  fc.assert(fc.property(keys, (key) => {
    if (!isCatalogImageKey(key)) return true
    passed++
    const url = new URL(key, base)
    return (
      url.href.startsWith(base + CATALOG_IMAGE_PREFIX) &&
      decodeURIComponent(url.pathname) === new URL(base).pathname + key
    )
  }), { numRuns: 2000 })
  t.ok(passed > 50, `${passed} generated keys passed, so the property was exercised`)
})
