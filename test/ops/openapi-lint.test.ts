import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import { ERRORS, type ErrorCode } from '../../src/adapters/http/errors/error-table.js'
import { doorOf, sendError, type FieldProblems } from '../../src/adapters/http/errors/error-reply.js'
import { errorResponses, invalidFields, type Refusal } from '../../src/adapters/http/schemas/openapi-errors.js'
import { ADMIN_KEY, LIMITS_ON, buildTestApp } from '../helpers/build-test-app.js'

// The OpenAPI document the app serves, linted by the pinned Redocly CLI with the repository's
// redocly.yaml, and held to the app's behaviour: what it says a route answers, the route answers.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js')
const run = promisify(execFile)

interface Example { summary?: string, value: unknown }
interface Media { schema?: unknown, example?: unknown, examples?: Record<string, Example> }
interface Response { description: string, headers?: Record<string, unknown>, content?: Record<string, Media> }
interface Operation {
  operationId?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  requestBody?: { required?: boolean, content: Record<string, Media> }
  parameters?: Array<{ in: string, name: string }>
  responses: Record<string, Response>
}
interface Document {
  servers?: Array<{ url: string }>
  tags?: Array<{ name: string }>
  paths: Record<string, Record<string, Operation>>
}
interface LintProblem { ruleId: string, severity: string, message: string, location: Array<{ pointer: string }> }

const METHODS = ['get', 'put', 'post', 'delete', 'patch']
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation, name: `${method.toUpperCase()} ${path}` }))
  )

/** The routes that answer in a door's JSON format (not the file store's XML, not the probes). */
const isJsonDoor = (path: string) => path.startsWith('/api/') || path.startsWith('/auth/') || path.startsWith('/admin/')
const examplesAt = (operation: Operation, status: number) =>
  operation.responses[String(status)]?.content?.['application/json']?.examples ?? {}
const urlOf = (path: string) => path.replace(/\{[^}]+\}/g, 'CLS9fByfifGwPy5YQWTQon')
const requestExample = (operation: Operation) => operation.requestBody?.content['application/json']?.example

async function documented (t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t)
  await app.ready()
  // A copy: app.swagger() hands out its cached object.
  return { app, doc: JSON.parse(JSON.stringify(app.swagger())) as Document }
}

t.test('Redocly lints the served document with the repository config: no errors', async (t) => {
  const { doc } = await documented(t)
  const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'openapi.json')
  await writeFile(file, JSON.stringify(doc, null, 2))

  // Local files only: no telemetry, no update check, and a HOME of its own so nothing is written
  // to the runner's. Exit code 1 means problems were found; the JSON report says which.
  const args = [
    REDOCLY,
    'lint',
    file,
    '--config',
    join(ROOT, 'redocly.yaml'),
    '--format=json',
    '--lint-config=error',
    '--max-problems=500'
  ]
  const env = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', HOME: dir, NO_COLOR: '1' }
  const output = await run(process.execPath, args, {
    cwd: ROOT,
    env,
    timeout: 90_000,
    maxBuffer: 16 * 1024 * 1024
  }).catch((error: { stdout?: string, stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? ''
  }))
  let report: { totals: { errors: number, warnings: number }, problems: LintProblem[] }
  try {
    report = JSON.parse(output.stdout)
  } catch {
    t.fail(`redocly did not report: ${output.stderr.slice(0, 2000)}`)
    return
  }
  const describe = (p: LintProblem) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`
  const errors = report.problems.filter((p) => p.severity === 'error')
  t.equal(report.totals.errors, 0, errors.map(describe).join('\n') || 'no errors')
  t.comment(`redocly: ${report.totals.errors} errors, ${report.totals.warnings} warnings`)
  for (const warning of report.problems.filter((p) => p.severity === 'warn')) t.comment(`warning ${describe(warning)}`)
})

t.test('every operation: a unique operationId, declared tags, security stated; servers at the top', async (t) => {
  const { doc } = await documented(t)
  const operations = operationsOf(doc)
  t.ok(operations.length >= 25, `${operations.length} operations`)
  t.ok((doc.servers ?? []).length > 0, 'servers')
  const declared = new Set((doc.tags ?? []).map((tag) => tag.name))
  const ids = operations.map(({ operation }) => operation.operationId)
  for (const { name, operation } of operations) {
    t.match(operation.operationId, /^[a-z][A-Za-z]+$/, `${name}: operationId`)
    t.ok(Array.isArray(operation.security), `${name}: security stated (public routes say [])`)
    t.ok(
      (operation.tags ?? []).length > 0 && operation.tags!.every(tag => declared.has(tag)),
      `${name}: tags declared at the top`
    )
  }
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
})

t.test('error examples come from the error table: right status, right door, right code', async (t) => {
  const { doc } = await documented(t)
  let checked = 0
  for (const { path, name, operation } of operationsOf(doc).filter(({ path }) => isJsonDoor(path))) {
    const door = doorOf(path)
    for (const [status, response] of Object.entries(operation.responses).filter(([status]) => Number(status) >= 400)) {
      const examples = Object.entries(response.content?.['application/json']?.examples ?? {})
      t.ok(examples.length > 0, `${name} ${status}: named examples`)
      for (const [exampleName, { value }] of examples) {
        const code = exampleName.replace(/_\d+$/, '') as ErrorCode
        const row = ERRORS[code]
        if (row === undefined) { t.fail(`${name} ${status}: example ${exampleName} is no error-table code`); continue }
        t.equal(row.status, Number(status), `${name}: ${exampleName} answers ${row.status}`)
        const body = value as Record<string, unknown>
        if (door === 'auth') {
          t.same(Object.keys(body).sort(), ['code', 'detail', 'message'], `${name} ${exampleName}: seed-2 envelope`)
          t.equal(body.code, row.auth, `${name} ${exampleName}: code`)
        } else if (code === 'invalid_input') {
          t.ok(
            Object.values(body).every(messages => Array.isArray(messages) && messages.length > 0),
            `${name} ${exampleName}: field errors`
          )
        } else {
          t.same(body, { detail: row.ko, code: row.api }, `${name} ${exampleName}: {detail, code}`)
        }
        checked++
      }
    }
  }
  t.ok(checked > 100, `${checked} examples checked`)
})

t.test('concrete facts a client relies on', async (t) => {
  const { doc } = await documented(t)
  const token = doc.paths['/api/token/']!.post!
  t.same(
    examplesAt(token, 406)['member_pending']?.value,
    { detail: '승인 대기중인 회원입니다.', code: '1006' },
    'POST /api/token/ 406 is 1006'
  )
  t.same(
    Object.keys(examplesAt(token, 401)).sort(),
    ['invalid_otp', 'otp_expired'],
    'step 2 tells a wrong code from an expired one'
  )
  t.same(Object.keys(examplesAt(token, 429)).sort(), ['otp_attempts_exceeded', 'throttled'])
  t.ok(token.responses['429']!.headers?.['retry-after'], 'a throttled answer documents Retry-After')
  t.notOk(JSON.stringify(examplesAt(doc.paths['/api/interests/']!.get!, 503)).includes('1006'), 'a 503 shows no 1006')
  t.same(
    examplesAt(doc.paths['/auth/login/json']!.post!, 401)['invalid_credentials']?.value,
    {
      code: 'INVALID_CREDENTIALS',
      message: '이메일 또는 비밀번호가 올바르지 않습니다',
      detail: 'Incorrect email or password'
    },
    'seed 2 detail text'
  )
  t.same(Object.keys(examplesAt(doc.paths['/auth/me']!.get!, 401)).sort(), [
    'invalid_token',
    'token_expired',
    'user_not_found'
  ])

  const logout = doc.paths['/api/logout/']!.post!
  t.equal(logout.requestBody?.required, false, 'logout: the body is optional')
  t.same(logout.security, [{}, { refreshBearer: [] }], 'logout: the bearer is optional')
  t.same(doc.paths['/api/users/me/']!.get!.security, [{ bearer: [] }])
  t.same(doc.paths['/admin/users']!.get!.security, [{ adminKey: [] }])
  t.same(doc.paths['/api/registration/']!.post!.security, [])

  t.notOk(Object.keys(doc.paths).some((path) => path.includes('*')), 'no wildcard path')
  const media = doc.paths['/media/{key}']?.get
  t.same(
    media?.parameters?.filter(p => p.in === 'path').map(p => p.name),
    ['key'],
    '/media/{key} names its parameter'
  )
  t.same(Object.keys(media?.responses ?? {}), ['200', '403', '404', '500'])
  const upload = doc.paths['/uploads/']!.post!
  t.same(Object.keys(upload.responses), ['200', '201', '204', '400', '403', '500'])
  t.equal(upload.responses['204']!.content, undefined, '204 has no body')
  t.ok(upload.requestBody?.content['multipart/form-data'], 'the upload is a multipart form')
  t.match(
    String(upload.responses['403']!.content?.['application/xml']?.examples?.['AccessDenied']?.value),
    /<Code>AccessDenied<\/Code>/
  )
})

t.test('what the document says a route answers, it answers', async (t) => {
  const { app, doc } = await documented(t)
  const operations = operationsOf(doc).filter(({ path }) => isJsonDoor(path))
  const admin = { authorization: `Bearer ${ADMIN_KEY}` }

  for (const { path, method, name, operation } of operations) {
    const url = urlOf(path)
    const verb = method.toUpperCase() as 'GET'
    // The admin key, so the admin routes get past their key check; elsewhere it is a junk token.
    const wrongType = await app.inject({
      method: verb,
      url,
      headers: { ...admin, 'content-type': 'text/plain' },
      payload: 'x'
    })
    t.equal(
      wrongType.statusCode === 415,
      operation.responses['415'] !== undefined,
      `${name}: 415 documented iff answered (${wrongType.statusCode})`
    )
    const huge = await app.inject({
      method: verb,
      url,
      headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({ x: 'a'.repeat(1024 * 1024) })
    })
    t.equal(
      huge.statusCode === 413,
      operation.responses['413'] !== undefined,
      `${name}: 413 documented iff answered (${huge.statusCode})`
    )

    const example = requestExample(operation)
    const anonymous = await app.inject({
      method: verb,
      url,
      ...(example === undefined ? {} : { payload: example as object })
    })
    if (JSON.stringify(operation.security) === JSON.stringify([{ bearer: [] }])) {
      t.equal(anonymous.statusCode, 401, `${name}: no token, 401`)
      t.same(
        anonymous.json(),
        examplesAt(operation, 401)['invalid_token']?.value,
        `${name}: the body is the documented invalid_token example`
      )
    }
    if (JSON.stringify(operation.security) === JSON.stringify([{ adminKey: [] }])) {
      t.equal(anonymous.statusCode, 403, `${name}: no key, 403`)
      t.same(
        anonymous.json(),
        examplesAt(operation, 403)['forbidden']?.value,
        `${name}: the body is the documented forbidden example`
      )
    }
  }

  // A member pending approval, a number no member has, a wrong password: the documented bodies.
  const mobile =
    '010' + String(2 + (randomBytes(1)[0]! % 3)) + String(randomBytes(4).readUInt32BE() % 1e7).padStart(7, '0')
  const signUp = await app.inject({
    method: 'POST',
    url: '/api/registration/',
    payload: {
      mobile,
      username: `u${randomBytes(4).toString('hex')}`,
      name: '손흥민',
      birth: '1984-10-23',
      gender: 'male'
    }
  })
  t.equal(signUp.statusCode, 201, signUp.body)
  const pending = await app.inject({ method: 'POST', url: '/api/token/', payload: { mobile, token: '123456' } })
  t.equal(pending.statusCode, 406)
  t.same(
    pending.json(),
    examplesAt(doc.paths['/api/token/']!.post!, 406)['member_pending']?.value,
    'a pending member gets the documented 1006'
  )
  const stranger = await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: '01049990000' } })
  t.same(
    [stranger.statusCode, stranger.json()],
    [404, examplesAt(doc.paths['/api/auth/mobile/']!.post!, 404)['member_not_found']?.value]
  )
  const wrong = await app.inject({
    method: 'POST',
    url: '/auth/login/json',
    payload: { email: 'nobody@example.com', password: 'password123' }
  })
  t.same(
    [wrong.statusCode, wrong.json()],
    [401, examplesAt(doc.paths['/auth/login/json']!.post!, 401)['invalid_credentials']?.value]
  )
})

t.test('429 is documented exactly on the rate-limited routes', async (t) => {
  const { app } = await buildTestApp(t, {}, { limits: { ...LIMITS_ON, perAddress: { max: 1, windowSeconds: 60 } } })
  await app.ready()
  const doc = JSON.parse(JSON.stringify(app.swagger())) as Document
  for (const { path, method, name, operation } of operationsOf(doc).filter(({ path }) => isJsonDoor(path))) {
    const request = {
      method: method.toUpperCase() as 'GET',
      url: urlOf(path),
      headers: { authorization: `Bearer ${ADMIN_KEY}` }
    }
    await app.inject(request)
    const second = await app.inject(request)
    const documentsThrottle = examplesAt(operation, 429)['throttled'] !== undefined
    t.equal(
      second.statusCode === 429,
      documentsThrottle,
      `${name}: throttled documented iff limited (${second.statusCode})`
    )
  }
})

// fast-json-stringify throws on a missing required field or a union branch that does not match,
// and Fastify turns that into a 500. The same refusals through the documented schemas and through
// plain JSON.stringify must give the same status and body, for every code, language and door.
t.test('the error schemas serialise every body the error handler can send', async (t) => {
  const fieldSets: FieldProblems[] = [
    { username: ['username_taken'] },
    { detail: ['required'], code: ['invalid'] },
    { non_field_errors: ['invalid_body'] },
    { a: ['blank', 'too_long'], b: ['invalid_email'] },
    {}
  ]
  const codes = Object.keys(ERRORS) as ErrorCode[]
  const refusals: Refusal[] = [
    ...codes.filter((code): code is Exclude<ErrorCode, 'invalid_input'> => code !== 'invalid_input'),
    invalidFields(fieldSets[0]!)
  ]
  const app: FastifyInstance = Fastify()
  t.teardown(() => app.close())
  for (const door of ['api', 'auth'] as const) {
    const handler = async (request: Parameters<typeof sendError>[0], reply: Parameters<typeof sendError>[1]) => {
      const { code, fields } = request.query as { code: ErrorCode, fields?: string }
      return sendError(request, reply, code, fields === undefined ? undefined : fieldSets[Number(fields)])
    }
    app.get(`/${door}/typed`, { schema: { response: errorResponses(door, ...refusals) } }, handler)
    app.get(`/${door}/plain`, handler)
  }
  await app.ready()

  let compared = 0
  for (const door of ['api', 'auth'] as const) {
    for (const language of ['ko', 'en']) {
      const queries = [
        ...codes.map(code => `code=${code}`),
        ...fieldSets.map((_, i) => `code=invalid_input&fields=${i}`)
      ]
      for (const query of queries) {
        const ask = (kind: string) =>
          app.inject({ method: 'GET', url: `/${door}/${kind}?${query}`, headers: { 'accept-language': language } })
        const [typed, plain] = await Promise.all([ask('typed'), ask('plain')])
        const label = `${door} ${language} ${query}`
        t.equal(typed.statusCode, plain.statusCode, `${label}: status`)
        if (plain.statusCode < 500) t.ok(typed.statusCode < 500, `${label}: never a serializer 500`)
        t.strictSame(typed.json(), plain.json(), `${label}: the same body`)
        compared++
      }
    }
  }
  t.equal(compared, 2 * 2 * (codes.length + fieldSets.length))
})
