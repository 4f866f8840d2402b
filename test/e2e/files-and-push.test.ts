import { access } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createS3FileStore } from '../../src/adapters/s3/s3-file-store.js'
import { ADMIN_KEY } from '../helpers/build-test-app.js'
import { PHOTO, admin, fetchUploader, withUploads } from '../helpers/phone-flows.js'
import { BUCKET, startS3rver } from '../helpers/s3rver.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

const MOBILE = '010-2999-0101'
const CODE = '246810'

/**
 * The whole files story on the real service: sign-s3, upload, sign-up, admin view of the private
 * files, approval with a push (log sender), login, deletion that leaves no file behind.
 */
async function filesStory (
  t: Test,
  env: Record<string, string>,
  storedIn: (dataDir: string) => (key: string) => Promise<boolean>
) {
  const { call, base, logs, config } = await startServiceOnPostgresAndRedis(t, {
    ADMIN_API_KEY: ADMIN_KEY,
    SMS_TEST_OTP: `+82${MOBILE.replaceAll('-', '').slice(1)}=${CODE}`,
    ...env
  })
  const stillStored = storedIn(config.dataDir)
  const body = await withUploads(fetchUploader(base), { mobile: MOBILE })
  const keys = [body.avatar, body.profile, ...body.verification_files.map(file => file.original)]
  for (const key of keys) t.equal(await stillStored(key), true, 'uploaded straight to the store')

  const signup = await call('POST', '/api/registration/', { body })
  t.equal(signup.status, 201)
  await call('PUT', '/auth/fcm-token', { token: signup.body.access, body: { fcm_token: 'device-token-e2e' } })

  const shown = await call('GET', `/admin/users/${signup.body.user.uuid}`, { headers: admin })
  t.equal(shown.body.verification_files.length, 2)
  const read = await fetch(shown.body.verification_files[0].url)
  t.equal(read.status, 200, "the admin's signed link reads the private file")
  t.same(Buffer.from(await read.arrayBuffer()), PHOTO)

  const approved = await call('POST', `/admin/users/${signup.body.user.uuid}/approve`, { headers: admin })
  t.equal(approved.status, 200)
  const pushed = logs.lines.map(line => JSON.parse(line)).find(entry => entry.msg === 'push.sent')
  t.equal(pushed?.devices, 1, "the approval reached the member's device")
  t.notOk(logs.text.includes('device-token-e2e'), 'no device token in the log')

  t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: MOBILE } })).status, 200)
  const session = await call('POST', '/api/token/', { body: { mobile: MOBILE, token: CODE } })
  t.equal(session.status, 200)
  t.equal((await call('DELETE', '/auth/me', { token: session.body.access })).status, 200)
  for (const key of keys) t.equal(await stillStored(key), false, 'deleted with the account')
}

t.test('embedded file store (local disk) on PostgreSQL + Redis', { skip: noPg || noRedis }, async (t) => {
  await filesStory(t, {}, (dataDir) => async (key) => {
    try {
      await access(join(dataDir, 'files', key))
      return true
    } catch {
      return false
    }
  })
})

t.test('S3 file store (s3rver) on PostgreSQL + Redis', { skip: noPg || noRedis }, async (t) => {
  const endpoint = await startS3rver(t)
  const env = {
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'ap-northeast-2',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER'
  }
  const store = createS3FileStore({
    bucket: BUCKET,
    region: env.S3_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestTimeoutMs: 2000
  })
  await filesStory(t, env, () => (key) => store.exists(key))
})
