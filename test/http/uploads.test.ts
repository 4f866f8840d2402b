import t from 'tap'
import type { FileStore } from '../../src/application/ports/outbound/file-store.js'
import { makePurgeDeletedFiles } from '../../src/application/files/purge-deleted-files.js'
import { ServiceUnavailableError } from '../../src/domain/errors.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { bearer } from '../helpers/email-flows.js'
import { PHOTO, admin, injectUploader, registration, uploadForm, withUploads } from '../helpers/phone-flows.js'

const signUp = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/registration/', payload: body })

t.test('POST /api/sign-s3/ answers a presigned POST the store itself enforces', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/sign-s3/',
    payload: { kind: 'avatar', content_type: 'image/png' }
  })
  t.equal(res.statusCode, 200)
  const { url, fields, key, expires_in: expiresIn } = res.json()
  t.match(key, /^images\/users\/avatars\/[0-9a-f-]{36}\.png$/, 'the key is ours, under the kind\'s prefix')
  t.equal(expiresIn, 600)
  t.equal(fields.key, key)
  t.equal(fields['Content-Type'], 'image/png')
  t.match(url, /\/uploads\/$/)

  const tooBig = await uploadForm(fields, Buffer.alloc(64 * 1024 + 1, 1))
  const refused = await app.inject({
    method: 'POST',
    url: new URL(url).pathname,
    payload: tooBig.body,
    headers: { 'content-type': tooBig.contentType }
  })
  t.equal(refused.statusCode, 400, 'over UPLOAD_MAX_BYTES')
  t.match(refused.body, /<Code>EntityTooLarge<\/Code>/)
  const wrongType = await uploadForm({ ...fields, 'Content-Type': 'text/html' })
  const typeRefused = await app.inject({
    method: 'POST',
    url: new URL(url).pathname,
    payload: wrongType.body,
    headers: { 'content-type': wrongType.contentType }
  })
  t.equal(typeRefused.statusCode, 403, 'another content type than the signed one')

  for (const [payload, field] of [
    [{ kind: 'passport', content_type: 'image/jpeg' }, 'kind'],
    [{ kind: 'avatar', content_type: 'image/svg+xml' }, 'content_type'],
    [{ kind: 'avatar', content_type: 'text/html' }, 'content_type']
  ] as const) {
    const bad = await app.inject({ method: 'POST', url: '/api/sign-s3/', payload })
    t.equal(bad.statusCode, 400)
    t.ok(Array.isArray(bad.json()[field]), `${field} is named in a DRF field error`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/sign-s3/', payload: { kind: 'avatar' } })).statusCode, 400)
})

t.test('sign-up accepts only uploaded keys of the right kind, each for one member', async (t) => {
  const { app } = await buildTestApp(t)
  const upload = injectUploader(app)
  const body = await withUploads(upload)
  const created = await signUp(app, body)
  t.equal(created.statusCode, 201)
  t.equal(created.json().user.profile, `/media/${body.profile}`)

  const media = await app.inject({ method: 'GET', url: `/media/${body.avatar}` })
  t.equal(media.statusCode, 200, 'public photos are served at MEDIA_BASE_URL')
  t.equal(media.headers['content-type'], 'image/jpeg')
  t.same(media.rawPayload, PHOTO)
  const privateFile = await app.inject({ method: 'GET', url: `/media/${body.verification_files[0]!.original}` })
  t.equal(privateFile.statusCode, 403, 'verification files have no public URL')

  const neverUploaded = await signUp(
    app,
    registration({ avatar: 'images/users/avatars/0b0e8c52-5f0c-4d8e-9d3c-1b7a2e0f9a11.jpg' })
  )
  t.equal(neverUploaded.statusCode, 400)
  t.same(neverUploaded.json(), { avatar: ['업로드되지 않은 파일입니다.'] })

  const otherKind = await signUp(app, registration({ profile: await upload('avatar') }))
  t.same(otherKind.json(), { profile: ['이 항목에 사용할 수 없는 파일 경로입니다.'] })

  const taken = await signUp(
    app,
    registration({
      avatar: body.avatar,
      verification_files: [{ display_order: 0, original: body.verification_files[1]!.original }]
    })
  )
  t.equal(taken.statusCode, 400)
  // The first unique index the database hits names the field.
  t.ok(
    ['avatar', 'verification_files'].some(field => String(taken.json()[field]) === '이미 사용 중인 파일입니다.'),
    "another member's file is refused"
  )
  const twice = await upload('verification')
  const doubled = await signUp(
    app,
    registration({
      verification_files: [
        { display_order: 0, original: twice },
        { display_order: 1, original: twice }
      ]
    })
  )
  t.same(doubled.json(), { verification_files: ['이미 사용 중인 파일입니다.'] })
})

t.test('a store that does not answer makes sign-up a 503, not a 500', async (t) => {
  const down: FileStore = {
    presignUpload: async () => { throw new ServiceUnavailableError('store down') },
    exists: async () => { throw new ServiceUnavailableError('store down') },
    delete: async () => { throw new ServiceUnavailableError('store down') },
    presignRead: async () => { throw new ServiceUnavailableError('store down') }
  }
  const { app, ports } = await buildTestApp(t, { files: down })
  const res = await signUp(app, registration({ avatar: 'images/users/avatars/a.jpg' }))
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'service_unavailable')
  t.equal((await ports.review.listByStatus(null, 0, 10)).total, 0, 'nothing written')
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/sign-s3/',
        payload: { kind: 'avatar', content_type: 'image/jpeg' }
      })
    ).statusCode,
    503
  )
})

t.test('admins see verification files through short-lived signed links; approval pushes to every device', async (t) => {
  const { app, ports, logs } = await buildTestApp(t)
  const body = await withUploads(injectUploader(app))
  const { user, access } = (await signUp(app, body)).json()
  await app.inject({
    method: 'PUT',
    url: '/auth/fcm-token',
    headers: bearer(access),
    payload: { fcm_token: 'device-one' }
  })
  await app.inject({
    method: 'PUT',
    url: '/auth/fcm-token',
    headers: bearer(access),
    payload: { fcm_token: 'device-gone' }
  })
  ports.push.markDead('device-gone')

  const shown = await app.inject({ method: 'GET', url: `/admin/users/${user.uuid}`, headers: admin })
  const files = shown.json().verification_files
  t.same(files.map((file: { key: string }) => file.key), body.verification_files.map((file) => file.original))
  const link = new URL(files[0].url)
  const read = await app.inject({ method: 'GET', url: link.pathname + link.search })
  t.equal(read.statusCode, 200, 'the signed link reads the private file')
  t.same(read.rawPayload, PHOTO)
  ports.clock.advance(301_000)
  t.equal((await app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode, 403, 'and expires')

  const approved = await app.inject({ method: 'POST', url: `/admin/users/${user.uuid}/approve`, headers: admin })
  t.equal(approved.statusCode, 200)
  t.equal(ports.push.messagesTo('device-one')[0]?.data.status, 'approved')
  t.same(
    await ports.pushTokens.list((await ports.accounts.findByMobile(('+82' + body.mobile.slice(1)) as never))!.id),
    ['device-one'],
    'the dead token is forgotten'
  )
  t.notOk(logs.text.includes('device-one'), 'device tokens never reach the log')

  ports.push.failing = true
  const rejected = await app.inject({
    method: 'POST',
    url: `/admin/users/${user.uuid}/reject`,
    headers: admin,
    payload: { reason: '사진 불일치' }
  })
  t.equal(rejected.statusCode, 200, 'a push outage never fails the admin\'s request')
  t.equal(rejected.json().status, 'rejected')
})

t.test('deleting the account deletes the stored files; a store outage only defers it', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const upload = injectUploader(app)
  const body = await withUploads(upload)
  const { user } = (await signUp(app, body)).json()
  await app.inject({ method: 'POST', url: `/admin/users/${user.uuid}/approve`, headers: admin })
  const keys = [body.avatar, body.profile, ...body.verification_files.map((file) => file.original)]
  for (const key of keys) t.equal(await ports.files.exists(key), true)
  const member = (await ports.accounts.findByMobile(('+82' + body.mobile.slice(1)) as never))!
  const token = (await app.inject({ method: 'POST', url: '/api/auth/mobile/', payload: { mobile: body.mobile } }))
    .statusCode
  t.equal(token, 200)
  const code = ports.sms.lastCodeSentTo(member.mobile!)!
  const session = (
    await app.inject({ method: 'POST', url: '/api/token/', payload: { mobile: body.mobile, token: code } })
  ).json()
  // Seed 2's deletion route serves phone members too: tokens work on both doors.
  const deleted = await app.inject({ method: 'DELETE', url: '/auth/me', headers: bearer(session.access) })
  t.equal(deleted.statusCode, 200)
  for (const key of keys) t.equal(await ports.files.exists(key), false, 'no file left behind')
  t.same(
    await ports.fileDeletions.dueFileDeletions(new Date(ports.clock.now().getTime() + 1e9), 100),
    [],
    'nothing left queued'
  )
})

t.test('a file the store cannot delete stays queued and the sweeper deletes it later', async (t) => {
  const { app, ports } = await buildTestApp(t)
  const body = await withUploads(injectUploader(app))
  const { access } = (await signUp(app, body)).json()
  const realDelete = ports.files.delete.bind(ports.files)
  let storeDown = true
  ports.files.delete = async (key) => {
    if (storeDown) throw new ServiceUnavailableError('store down')
    return realDelete(key)
  }
  const deleted = await app.inject({ method: 'DELETE', url: '/auth/me', headers: bearer(access) })
  t.equal(deleted.statusCode, 200, 'the account is deleted even though its files are not yet')
  t.equal((await ports.review.listByStatus(null, 0, 1)).total, 0)
  const later = new Date(ports.clock.now().getTime() + 3600_000)
  t.equal((await ports.fileDeletions.dueFileDeletions(later, 100)).length, 4, 'all four files queued')
  t.equal((await ports.fileDeletions.dueFileDeletions(ports.clock.now(), 100)).length, 0, 'postponed, not hammered')
  t.equal(await ports.files.exists(body.avatar), true)

  storeDown = false
  ports.clock.advance(3600_000)
  const sweep = makePurgeDeletedFiles({ fileDeletions: ports.fileDeletions, files: ports.files, clock: ports.clock })
  t.same(await sweep.due(), { deleted: 4, failed: 0 }, 'the sweep (what each instance runs every minute) deletes them')
  t.same(await ports.fileDeletions.dueFileDeletions(later, 100), [])
  t.equal(await ports.files.exists(body.avatar), false)
})
