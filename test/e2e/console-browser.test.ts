import type { Test } from 'tap'
import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { composeService } from '../../src/adapters/build-service.js'
import { loadConfig } from '../../src/adapters/config/load-config.js'
import { createLogger } from '../../src/adapters/system/create-logger.js'
import { LogCapture } from '../helpers/build-test-app.js'
import {
  drawJpeg, launchBrowser, memberSignUps, noBrowser, signIn, staffAdd, totp, type StaffFacts
} from '../helpers/console-browser.js'
import { freshMobile } from '../helpers/phone-flows.js'
import { fakeCi, fakeDi, startPortOneStandIn, type PortOneStandIn } from '../helpers/portone-stand-in.js'
import { noPg, noRedis, uniqueSuffix } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// Four real processes (the command twice per store, the service twice) and a browser: more than the default budget on a
// busy machine.
t.setTimeout(300_000)

type Service = Pick<Awaited<ReturnType<typeof startServiceOnPostgresAndRedis>>, 'base' | 'call' | 'logs'>
  & { portone: PortOneStandIn }

/** A stand-in of PortOne's API, and the settings that point the service at it. */
async function portOne (t: Test) {
  const credentials = { secret: 'portone-console-secret-0001', storeId: 'store-console-browser' }
  const portone = await startPortOneStandIn(credentials)
  t.teardown(() => portone.close())
  const env = {
    PORTONE_API_SECRET: credentials.secret,
    PORTONE_STORE_ID: credentials.storeId,
    PORTONE_API_URL: portone.url
  }
  return { portone, env }
}

/** The operator's story: staff made with the command sign in, review, approve, reject, read the trail. */
async function reviewStory (
  t: Test,
  { base, call, logs, portone }: Service,
  staff: { admin: StaffFacts, reviewer: StaffFacts }
) {
  const { admin, reviewer } = staff
  const browser = await launchBrowser(t)
  const signUp = memberSignUps(t, call, await drawJpeg(browser))

  const approveMe = await signUp()
  const rejectMe = await signUp()
  // A sign-up PortOne verified: the person the app claims is the person PortOne recorded.
  const verification = `identity-verification-${uniqueSuffix()}`
  const mobile = freshMobile()
  const person = { name: '손흥민', birthDate: '1984-10-23', phoneNumber: mobile, ci: fakeCi(), di: fakeDi() }
  portone.addVerified(verification, person)
  const confirmedMe = await signUp({
    identity_verification_id: verification,
    mobile,
    unique_key: null,
    unique_in_site: null
  })
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
  t.match(await page.locator('#identity-mark').textContent(), 'Not confirmed by the server')

  // The confirmed member's page says PortOne confirmed them; the queue's identity filter finds them alone.
  await page.goto(`${base}/console/members/${confirmedMe.uuid}`)
  t.match(await page.locator('#identity-mark').textContent(), 'Identity confirmed by PortOne')
  await page.goto(`${base}/console/queue`)
  t.ok((await page.locator('td.q-member a').allTextContents()).includes(rejectMe.username), 'unfiltered: all pending')
  await page.getByLabel('Identity', { exact: true }).selectOption('confirmed')
  await page.getByRole('button', { name: 'Apply' }).click()
  await page.waitForURL(/identity=confirmed/)
  t.same(await page.locator('td.q-member a').allTextContents(), [confirmedMe.username], 'filtered: the confirmed one')
  t.equal(await page.locator('.badge.identity-confirmed').count(), 1, 'with its badge')

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
  for (const action of ['Staff signed in', 'ID files viewed', 'Member approved', 'Member rejected']) {
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
  t.match(await page.locator('table.audit').textContent(), 'Staff password changed', 'the browser stays signed in')

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
    const { portone, env } = await portOne(t)
    const service = await startServiceOnPostgresAndRedis(t, env)
    await reviewStory(t, { ...service, portone }, await addBoth(t, { DATABASE_URL: service.config.database.url! }))
  }
)

t.test(
  'the same in the embedded default: the service started, then staff added with the command',
  { skip: noBrowser },
  async t => {
    const dataDir = await mkdtemp(join(tmpdir(), 'console-embedded-'))
    t.teardown(() => rm(dataDir, { recursive: true, force: true }))
    const { portone, env } = await portOne(t)
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      RATE_LIMIT_ALLOWLIST: '127.0.0.1,::1,::ffff:127.0.0.1',
      ...env
    })
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
    await reviewStory(t, { base, call, logs, portone }, staff)
  }
)
