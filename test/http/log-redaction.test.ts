import t from 'tap'
import { redactQuery } from '../../src/adapters/system/create-logger.js'
import { TEST_ORIGIN, buildTestApp } from '../helpers/build-test-app.js'
import { admin } from '../helpers/phone-flows.js'

// Request log lines carry the URL: a signed link, a token or a code in a query string would let
// anyone who reads the logs use it. Values are redacted but for a few harmless parameters.

const loggedUrls = (lines: string[]) => lines
  .map((line) => JSON.parse(line) as { req?: { url?: string } })
  .flatMap((line) => typeof line.req?.url === 'string' ? [line.req.url] : [])

t.test('a signed media link reaches the logs without its signature', async (t) => {
  const { app, ports, logs } = await buildTestApp(t)
  const link = await ports.files.presignRead('private/verification/file.jpg', 300)
  const signature = new URL(link).searchParams.get('signature')!
  const expires = new URL(link).searchParams.get('expires')!
  t.match(signature, /^[\w-]{20,}$/, 'a real signature')
  await app.inject({ method: 'GET', url: link.slice(TEST_ORIGIN.length) })

  t.notMatch(logs.text, signature, 'the signature never reaches a log line')
  const urls = loggedUrls(logs.lines)
  t.ok(urls.length > 0, 'the request was logged')
  for (const url of urls) t.equal(url, `/media/private/verification/file.jpg?expires=${expires}&signature=[redacted]`)
})

t.test('tokens, codes, keys and unknown parameters are redacted; names and harmless values stay', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const secrets = [
    'eyJhbGciOiJIUzI1NiJ9.SECRET.token',
    'RefreshSecret77',
    '123456',
    'uploads/key-secret',
    'AKIAEXAMPLE',
    'Zm9vYmFy'
  ]
  const query = `access_token=${secrets[0]}&refresh=${secrets[1]}&code=${secrets[2]}` +
    `&key=${encodeURIComponent(secrets[3]!)}&X-Amz-Credential=${secrets[4]}&X-Amz-Signature=${secrets[5]}`
  await app.inject({ method: 'GET', url: `/api/users/me/?${query}` })
  await app.inject({ method: 'POST', url: `/auth/logout?scope=all&token=${secrets[0]}` })
  await app.inject({ method: 'GET', url: '/admin/users?status=pending&page=2&page_size=5', headers: admin })

  for (const secret of secrets) t.notMatch(logs.text, secret, `${secret} never reaches the logs`)
  t.notMatch(logs.text, encodeURIComponent(secrets[3]!))
  const urls = loggedUrls(logs.lines)
  t.ok(
    urls.includes(
      '/api/users/me/?access_token=[redacted]&refresh=[redacted]&code=[redacted]' +
        '&key=[redacted]&X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]'
    ),
    urls.join('\n')
  )
  t.ok(urls.includes('/auth/logout?scope=all&token=[redacted]'), 'scope stays readable')
  t.ok(urls.includes('/admin/users?status=pending&page=2&page_size=5'), 'paging stays readable')
})

t.test('the redaction never throws and leaves no value behind', async (t) => {
  t.equal(redactQuery('/auth/me'), '/auth/me')
  t.equal(redactQuery('/auth/me?'), '/auth/me?')
  t.equal(redactQuery('/x?%ZZ=secret&scope=all'), '/x?%ZZ=[redacted]&scope=all', 'a malformed escape in a name')
  t.equal(
    redactQuery('/x?sc%6Fpe=all&a=1=2&&bare-secret'),
    '/x?sc%6Fpe=all&a=[redacted]&&[redacted]',
    'an escaped name is matched decoded; a bare name is redacted'
  )
  t.equal(redactQuery('/x?signature=a?b=c'), '/x?signature=[redacted]')
})
