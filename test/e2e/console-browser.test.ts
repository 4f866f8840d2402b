import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { Secret, TOTP } from 'otpauth'
import { chromium, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { composeService } from '../../src/adapters/build-service.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { LogCapture } from '../helpers/build-test-app.js'
import { registration, uploadForm, type Uploader } from '../helpers/phone-flows.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'
import { entryPoint } from '../helpers/entry-point.js'

// Four real processes (the command twice per store, the service twice) and a browser: more than the default budget on a
// busy machine.
t.setTimeout(300_000)

const CHROMIUM = '/usr/bin/chromium'
const noBrowser = existsSync(CHROMIUM)
  ? false
  : process.env.CI === 'true'
    ? false
    : `${CHROMIUM} is not installed (apt-get install -y chromium); skipped outside CI`
const run = promisify(execFile)

/**
 * Creates a staff account the way an operator does: the command, against the service's database,
 * with a password of the operator's choosing (a generated one would open the change-password page
 * first, another story). The TOTP secret is not printed: signIn reads it from the enrolment page.
 */
async function staffAdd (env: Record<string, string>, email: string, role: 'admin' | 'reviewer') {
  const password = `console story ${role} ${Math.random().toString(36).slice(2)}`
  const { stdout } = await run(
    process.execPath,
    [...entryPoint('cli'), 'staff', 'add', '--email', email, '--role', role, '--password', password],
    { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } }
  )
  return { email, password, printed: JSON.parse(stdout) as Record<string, unknown> }
}

/** The code an authenticator app shows now, or `laterMs` ahead (the next step's: a code works once). */
const totp = (secret: string, laterMs = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + laterMs
  })

async function signIn (page: Page, base: string, staff: { email: string, password: string }) {
  await page.goto(`${base}/console/`)
  await page.getByLabel(/email|이메일/i).fill(staff.email)
  await page.getByLabel(/^(password|비밀번호)$/i).fill(staff.password)
  await page.getByRole('button', { name: /sign in|로그인/i }).click()
  await page.waitForURL(/second-factor/, { timeout: 10_000 }).catch(async (error: unknown) => {
    throw new Error(`no second-factor page: ${page.url()} ${(await page.content()).slice(-800)} ${String(error)}`)
  })
  const qrWidth = await page.locator('img.qr').evaluate((image: HTMLImageElement) => image.naturalWidth)
  // The key beside the QR code, as a person would type it into an authenticator app.
  const secret = (await page.locator('code').first().textContent() ?? '').replace(/\s/g, '')
  await page.getByLabel(/^(code|인증 코드)$/i).fill(totp(secret))
  await page.getByRole('button', { name: /verify|확인/i }).click()
  await page.waitForURL(/\/console\/queue/)
  return { qrWidth, secret }
}

type Service = Pick<Awaited<ReturnType<typeof startServiceOnPostgresAndRedis>>, 'base' | 'call' | 'logs'>

/** The operator's story: staff made with the command sign in, review, approve, reject, read the trail. */
async function reviewStory (
  t: Test,
  { base, call, logs }: Service,
  staff: { admin: StaffFacts, reviewer: StaffFacts }
) {
  const { admin, reviewer } = staff
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  t.teardown(() => browser.close())

  // A real JPEG, drawn by the browser itself, so the page has an image it can decode and show.
  const scratch = await browser.newPage()
  const jpeg = Buffer.from(
    await scratch.evaluate(() => {
      const canvas = document.createElement('canvas')
      canvas.width = 40
      canvas.height = 30
      const context = canvas.getContext('2d')!
      context.fillStyle = '#2a7'
      context.fillRect(0, 0, 40, 30)
      return canvas.toDataURL('image/jpeg').split(',')[1]!
    }),
    'base64'
  )
  await scratch.close()
  const upload: Uploader = async kind => {
    const signed = await call('POST', '/api/sign-s3/', { body: { kind, content_type: 'image/jpeg' } })
    const { body, contentType } = await uploadForm(signed.body.fields, jpeg)
    const stored = await fetch(signed.body.url, { method: 'POST', body, headers: { 'content-type': contentType } })
    if (stored.status !== 204) throw new Error(`upload failed: ${stored.status}`)
    return signed.body.key
  }
  const signUp = async () => {
    const [avatar, profile, file] = await Promise.all([upload('avatar'), upload('profile'), upload('verification')])
    const body = { ...registration(), avatar, profile, verification_files: [{ display_order: 0, original: file }] }
    const res = await call('POST', '/api/registration/', { body })
    t.equal(res.status, 201)
    return { uuid: res.body.user.uuid as string, mobile: body.mobile, username: body.username }
  }

  const approveMe = await signUp()
  const rejectMe = await signUp()
  const context = await browser.newContext({ locale: 'en-US' })
  const page = await context.newPage()
  const { qrWidth, secret } = await signIn(page, base, admin)
  t.ok(qrWidth > 0, 'the enrolment QR renders')

  t.ok(await page.getByRole('link', { name: approveMe.username }).isVisible(), 'the new member is in the queue')
  await page.getByRole('link', { name: approveMe.username }).click()
  await page.waitForURL(new RegExp(`/console/members/${approveMe.uuid}`))
  const shown = await page
    .locator('img.verification')
    .first()
    .evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)
  t.equal(shown, 40, 'the verification image renders through its signed link')
  await page.getByRole('button', { name: 'Approve' }).click()
  await page.waitForURL(/done=approved/)
  t.match(await page.locator('section.card .badge').first().textContent(), 'Approved')
  // Both sign-ups carry the same identity-verification key: one person, two accounts.
  t.match(
    await page.locator('.flag').textContent(),
    'same identity key',
    'the other account of the same person is flagged'
  )
  t.equal(await page.locator('.flag a').getAttribute('href'), `/console/members/${rejectMe.uuid}`)

  const code = await call('POST', '/api/auth/mobile/', { body: { mobile: approveMe.mobile } })
  t.equal(code.status, 200, 'the approved member gets a code')
  t.ok(logs.lines.some(line => line.includes('"sms.sent"')))

  await page.goto(`${base}/console/members/${rejectMe.uuid}`)
  await page.getByLabel('Reason for rejecting (required)').fill('The ID photo is unreadable')
  await page.getByRole('button', { name: 'Reject' }).click()
  await page.waitForURL(/done=rejected/)
  t.ok(await page.getByText('The ID photo is unreadable').first().isVisible(), 'the reason shows')
  t.equal((await call('POST', '/api/auth/mobile/', { body: { mobile: rejectMe.mobile } })).body.code, '1005')

  await page.goto(`${base}/console/audit`)
  const trail = await page.locator('table.audit').textContent()
  for (const action of ['staff.sign_in', 'member.file_viewed', 'member.approved', 'member.rejected']) {
    t.match(trail, action, `the trail shows ${action}`)
  }

  // The admin changes their password from the menu: the current one, the new one twice, the next code.
  const chosen = `${admin.password} changed`
  await page.getByRole('link', { name: 'Change password' }).click()
  await page.getByLabel('Current password').fill(admin.password)
  await page.getByLabel('New password', { exact: true }).fill(chosen)
  await page.getByLabel('New password again').fill(chosen)
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, 30_000))
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.waitForURL(/\/console\/password\?done=1/)
  t.ok(await page.getByText('Your password was changed.').isVisible(), 'the password is changed')
  t.equal(
    await page.locator('input:not([type=hidden])').evaluateAll(controls =>
      controls.filter(control => (control as HTMLInputElement).labels?.length === 0).length
    ),
    0,
    'every field of the password page has a label'
  )
  await page.goto(`${base}/console/audit`)
  t.match(await page.locator('table.audit').textContent(), 'staff.password_changed', 'the browser stays signed in')

  const reviewerPage = await (await browser.newContext({ locale: 'ko-KR' })).newPage()
  await signIn(reviewerPage, base, reviewer)
  const refused = await reviewerPage.goto(`${base}/console/staff`)
  t.equal(refused?.status(), 403, 'a reviewer is refused the staff page')
  t.ok(await reviewerPage.getByText('이 작업을 할 권한이 없습니다.').isVisible())
  t.equal(await reviewerPage.getByRole('link', { name: '직원' }).count(), 0, 'and is not offered it')

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true })
  const phonePage = await phone.newPage()
  await phonePage.goto(`${base}/console/sign-in`)
  const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  t.ok(overflow <= 0, 'the sign-in page fits a phone screen without sideways scrolling')
  const unlabelled = await page.evaluate(
    () =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(
        control => (control as HTMLInputElement).labels?.length === 0
      ).length
  )
  t.equal(unlabelled, 0, 'every control of the audit page has a label')
}

interface StaffFacts { email: string, password: string }

async function addBoth (t: Test, env: Record<string, string>) {
  const admin = await staffAdd(env, 'lead@staff.test', 'admin')
  const reviewer = await staffAdd(env, 'reviewer@staff.test', 'reviewer')
  t.match(admin.printed, { event: 'staff.added', email: 'lead@staff.test', role: 'admin', mustChangePassword: false })
  t.notOk('oneTimePassword' in admin.printed, 'a given password is not printed')
  t.notMatch(JSON.stringify(admin.printed), /[A-Z2-7]{32}|otpauth:/, 'nor the TOTP secret')
  return { admin, reviewer }
}

t.test(
  'the review console in a real browser, on PostgreSQL + Redis',
  { skip: noPg || noRedis || noBrowser },
  async t => {
    const service = await startServiceOnPostgresAndRedis(t)
    await reviewStory(t, service, await addBoth(t, { DATABASE_URL: service.config.database.url! }))
  }
)

t.test(
  'the same in the embedded default: the service started, then staff added with the command',
  { skip: noBrowser },
  async t => {
    const dataDir = await mkdtemp(join(tmpdir(), 'console-embedded-'))
    t.teardown(() => rm(dataDir, { recursive: true, force: true }))
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', RATE_LIMIT_ALLOWLIST: '127.0.0.1,::1,::ffff:127.0.0.1' })
    const logs = new LogCapture()
    const app = await composeService(config, createLogger(config.logLevel, logs))
    t.teardown(() => app.close())
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    const base = `http://127.0.0.1:${port}`
    // The running service holds the embedded database: the command hands its work over through DATA_DIR.
    const staff = await addBoth(t, { DATA_DIR: dataDir })
    const call = async (method: string, path: string, { body }: { body?: unknown } = {}) => {
      const res = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const text = await res.text()
      return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers }
    }
    await reviewStory(t, { base, call, logs }, staff)
  }
)
