import assert from 'node:assert/strict'
import fc from 'fast-check'
import t from 'tap'
import { ADMIN_KEY, buildTestApp, type TestPorts } from '../helpers/build-test-app.js'

// Property-based fuzzing of every route the app documents: junk in, never a 5xx out, every refusal
// in its door's envelope, and a refusal never changes the store. Routes come from the app's own
// OpenAPI document, so a new route is fuzzed without touching this file.
// Replay a failure with FUZZ_SEED=<seed printed in the test output>.
const SEED = Number(process.env['FUZZ_SEED'] ?? 20240611)
const RUNS_PER_GROUP = 300

type Group = 'api' | 'auth' | 'admin' | 'other'
interface Route { method: string, path: string, group: Group, fields: string[], query: string[] }
interface Probe { method: string, url: string, headers: Record<string, string>, payload?: string | Buffer }

// ---- routes, read from the app ---------------------------------------------------------------

interface OpenApiOperation {
  parameters?: Array<{ in?: string, name?: string }>
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }
}

function groupOf (path: string): Group {
  if (path.startsWith('/api/')) return 'api'
  if (path === '/auth' || path.startsWith('/auth/')) return 'auth'
  if (path.startsWith('/admin/')) return 'admin'
  return 'other'
}

function routesOf (spec: { paths?: Record<string, Record<string, OpenApiOperation>> }): Route[] {
  const routes: Route[] = []
  for (const [path, operations] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      const body = Object.values(operation.requestBody?.content ?? {})[0]?.schema?.properties ?? {}
      const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name ?? '')
      routes.push({ method: method.toUpperCase(), path, group: groupOf(path), fields: Object.keys(body), query })
    }
  }
  return routes
}

// ---- junk --------------------------------------------------------------------------------------

const nasty = fc.constantFrom(
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uDBFF',
  '\uFEFF',
  '\u202E',
  '💥',
  '한국어',
  '%',
  '%00',
  '../',
  '\\',
  '"',
  "'",
  '<x>',
  // eslint-disable-next-line no-template-curly-in-string -- the text a template would expand, sent as is
  '${x}',
  '\r\n',
  ' ',
  ''
)
const junkString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 20 }),
  nasty,
  fc.constantFrom(
    '+821012345678',
    '01012345678',
    'a@example.com',
    'password123',
    '123456',
    '2000-01-01',
    '00000000-0000-0000-0000-000000000000',
    'pending',
    'approved',
    'true',
    '-1',
    '1e309'
  )
)
const hugeString = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.integer({ min: 1_000, max: 200_000 }))
  .map(([chunk, length]) => chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length))

const leaf = fc.oneof(junkString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String))
const junkValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(junkString, leaf, { maxKeys: 4 }) }
)

/** Depth 50-3000 of arrays or objects: a recursive parser or validator must not fall over. */
const deepJson = fc
  .tuple(
    fc.integer({ min: 50, max: 3_000 }),
    fc.constantFrom('array', 'object', 'mixed'),
    fc.constantFrom('', 'x', '{}')
  )
  .map(([depth, shape, key]) => {
    let open = ''
    let close = ''
    for (let i = 0; i < depth; i++) {
      const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 0)
      open += asArray ? '[' : `{${JSON.stringify(key)}:`
      close = (asArray ? ']' : '}') + close
    }
    return `${open}1${close}`
  })

/** An object shaped like the route's body: its own fields (some dropped, wrong types), plus extras. */
const shapedObject = (fields: string[]) => fc.tuple(
  fc.subarray(fields),
  fc.array(junkValue, { minLength: fields.length, maxLength: fields.length }),
  fc.dictionary(junkString, junkValue, { maxKeys: 3 })
).map(([kept, values, extra]) => {
  const body: Record<string, unknown> = { ...extra }
  kept.forEach((field, i) => { body[field] = values[i] })
  return body
})

/** encodeURIComponent throws on lone surrogates; this sends their UTF-8 replacement bytes instead. */
const percentEncode = (s: string) =>
  Array.from(Buffer.from(s, 'utf8'), b => `%${b.toString(16).padStart(2, '0')}`).join('')

const asciiHeader = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map(c => String.fromCharCode(c)),
  maxLength: 60
})
const base64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const forgedJwt = fc
  .tuple(
    fc.record({ alg: fc.constantFrom('none', 'HS256', 'RS256', 'HS512', ''), typ: fc.constantFrom('JWT', 'at+jwt') }),
    fc.record(
      {
        sub: junkString,
        exp: fc.oneof(fc.integer(), junkString),
        iss: fc.constantFrom('mobile-auth', 'x'),
        aud: fc.constantFrom('mobile-apps', 'x'),
        typ: fc.constantFrom('access', 'refresh', 'email', 'x')
      },
      { requiredKeys: [] }
    ),
    fc.oneof(fc.constant(''), asciiHeader.map(base64url))
  )
  .map(([header, payload, signature]) => `${base64url(header)}.${base64url(payload)}.${signature}`)

const authorization = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constant(`Bearer ${ADMIN_KEY}`) },
  { weight: 1, arbitrary: asciiHeader },
  { weight: 2, arbitrary: asciiHeader.map(s => `Bearer ${s}`) },
  { weight: 2, arbitrary: forgedJwt.map(jwt => `Bearer ${jwt}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(`Bearer ${ADMIN_KEY}x`, `bearer ${ADMIN_KEY}`, `Basic ${ADMIN_KEY}`, 'Bearer ', 'Bearer')
  }
)
const acceptLanguage = fc.option(
  fc.oneof(fc.constantFrom('en', 'ko', 'ko-KR,ko;q=0.9,en;q=0.8', '*', 'en;q=abc', ';;;', 'xx-YY'), asciiHeader),
  { nil: undefined }
)

const pathSegment = fc.oneof(
  fc.uuid(),
  junkString.map((s) => percentEncode(Array.from(s).slice(0, 8).join(''))),
  // Malformed escapes and over-long params are refused by the router itself (frameworkErrors).
  fc.constantFrom('%00', '..', '.', '%2e%2e%2f', 'a%2Fb', '%25', 'x'.repeat(100), '%zz', '%ED%A0%80', 'x'.repeat(1500))
)
const junkQuery = (names: string[]) => fc.dictionary(
  fc.oneof(fc.constantFrom(...names, 'x'), junkString),
  fc.oneof(junkString, fc.integer().map(String), fc.constantFrom('', '-1', '0', '1e9', '99999999999999999999')),
  { maxKeys: 4 }
).map((query) => Object.entries(query).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'))

/** A body and the content type it claims, often not matching each other. */
const body = (fields: string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ type: undefined, payload: undefined }) },
    { weight: 5, arbitrary: shapedObject(fields).map(o => ({ type: 'application/json', payload: JSON.stringify(o) })) },
    { weight: 2, arbitrary: junkValue.map(v => ({ type: 'application/json', payload: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: deepJson.map(payload => ({ type: 'application/json', payload })) },
    {
      weight: 1,
      arbitrary: shapedObject(fields).map(o => ({ type: 'application/json', payload: JSON.stringify(o).slice(0, -1) }))
    },
    { weight: 1, arbitrary: junkString.map(s => ({ type: 'application/json', payload: s })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'text/html',
            'application/octet-stream',
            'application/json; charset=latin1',
            'application/jsonx',
            'junk',
            ''
          ),
          junkString
        )
        .map(([type, payload]) => ({ type, payload }))
    },
    {
      weight: 1,
      arbitrary: shapedObject(fields).map(o => ({
        type: 'application/x-www-form-urlencoded',
        payload: new URLSearchParams(
          Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])
        ).toString()
      }))
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('multipart/form-data; boundary=xyz', 'multipart/form-data', 'multipart/form-data; boundary='),
          junkString
        )
        .map(([type, junk]) => ({
          type,
          payload: `--xyz\r\nContent-Disposition: form-data; name="${junk}"\r\n\r\n${junk}\r\n--xy`
        }))
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map(bytes => ({ type: 'application/json', payload: Buffer.from(bytes) }))
    }
  )

const probe = (route: Route): fc.Arbitrary<Probe> => fc.record({
  segments: fc.array(pathSegment, { minLength: 4, maxLength: 4 }),
  query: fc.option(junkQuery(route.query), { nil: undefined }),
  body: body(route.fields),
  authorization,
  language: acceptLanguage
}).map(({ segments, query, body, authorization, language }) => {
  let i = 0
  const path = route.path.replace(/\{[^}]*\}/g, () => segments[i++]!)
  const headers: Record<string, string> = {}
  if (body.type !== undefined) headers['content-type'] = body.type
  if (authorization !== undefined) headers['authorization'] = authorization
  if (language !== undefined) headers['accept-language'] = language
  const url = query === undefined || query === '' ? path : `${path}?${query}`
  return body.payload === undefined
    ? { method: route.method, url, headers }
    : { method: route.method, url, headers, payload: body.payload }
})

// ---- the door's envelope -----------------------------------------------------------------------

const isString = (value: unknown): value is string => typeof value === 'string'

function assertEnvelope (group: Group, contentType: unknown, text: string): void {
  assert.match(String(contentType), /^application\/json/, 'a refusal is JSON')
  const body: unknown = JSON.parse(text)
  assert.ok(body !== null && typeof body === 'object' && !Array.isArray(body), 'a JSON object')
  const entries = Object.entries(body)
  if (group === 'auth') {
    assert.deepEqual(Object.keys(body).sort(), ['code', 'detail', 'message'], `seed-2 envelope: ${text.slice(0, 300)}`)
    assert.ok(entries.every(([, v]) => isString(v)), 'seed-2 values are strings')
    return
  }
  const isDetail =
    entries.length === 2 &&
    isString((body as Record<string, unknown>)['detail']) &&
    isString((body as Record<string, unknown>)['code'])
  const isFieldErrors =
    entries.length > 0 && entries.every(([, v]) => Array.isArray(v) && v.length > 0 && v.every(isString))
  assert.ok(isDetail || isFieldErrors, `DRF envelope: ${text.slice(0, 300)}`)
}

async function storeSize (ports: TestPorts): Promise<string> {
  const users = await ports.review.listByStatus(null, 0, 1000)
  const interests = await ports.catalog.list('interest')
  const professions = await ports.catalog.list('profession')
  return `users=${users.total} interests=${interests.length} professions=${professions.length}`
}

function describe (p: Probe): string {
  const payload = p.payload === undefined ? '' : String(p.payload)
  const headers = JSON.stringify(p.headers).slice(0, 300)
  const body = JSON.stringify(payload.slice(0, 300))
  return `${p.method} ${p.url.slice(0, 200)} ${headers} body(${payload.length})=${body}`
}

// ---- the properties ----------------------------------------------------------------------------

t.test('junk at every documented route: never a 5xx, refusals in the door format, store untouched', async (t) => {
  const { app, ports } = await buildTestApp(t)
  await app.ready()
  const routes = routesOf(app.swagger() as Parameters<typeof routesOf>[0])
  t.ok(routes.length >= 20, `fuzzing ${routes.length} routes, seed ${SEED}`)
  t.comment(`FUZZ_SEED=${SEED}`)

  for (const group of ['api', 'auth', 'admin', 'other'] as const) {
    const inGroup = routes.filter((r) => r.group === group)
    t.ok(inGroup.length > 0, `${group}: ${inGroup.map((r) => `${r.method} ${r.path}`).join(', ')}`)
    const arbitrary = fc.constantFrom(...inGroup).chain(probe)
    await t.resolves(fc.assert(fc.asyncProperty(arbitrary, async (p) => {
      const before = await storeSize(ports)
      const res = await app.inject(p)
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${describe(p)}: ${res.body.slice(0, 300)}`)
      if (res.statusCode < 400) return
      // `/uploads/` answers S3's XML and `/media/*` serves files: only the status is theirs to keep.
      if (group !== 'other') assertEnvelope(group, res.headers['content-type'], res.body)
      assert.equal(await storeSize(ports), before, `a refused request changed the store: ${describe(p)}`)
    }), { numRuns: RUNS_PER_GROUP, seed: SEED + group.length, endOnFailure: true }), `${group} routes hold`)
  }
})

// Known bug, kept visible rather than fixed here: a path with a malformed percent escape is refused by
// Fastify's router (FST_ERR_BAD_URL) before the app's error handler runs, so every door answers
// Fastify's own `{error, code, message, statusCode}` body; a param over 100 characters
// (FST_ERR_MAX_PARAM_LENGTH) the same, echoing the URL, instead of its envelope.
t.test('a malformed escape in the path is refused in the door format', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [method, url, group] of [
    ['POST', '/admin/users/%ED%A0%80/approve', 'admin'],
    ['GET', '/api/users/me/%zz', 'api'],
    ['GET', '/auth/%C0%AF', 'auth'],
    ['GET', `/admin/users/${'x'.repeat(101)}`, 'admin']
  ] as const) {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    t.equal(res.statusCode, 400, url)
    t.doesNotThrow(() => assertEnvelope(group, res.headers['content-type'], res.body), `${url}: ${res.body}`)
  }
})
