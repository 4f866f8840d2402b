import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { Secret, TOTP } from 'otpauth'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { entryPoint } from './entry-point.js'
import { registration, uploadForm, type Uploader } from './phone-flows.js'

// What every console test in a real browser shares: Debian's Chromium, staff made with the
// command, the sign-in with TOTP, and members signed up through the phone door with real images.

export const CHROMIUM = '/usr/bin/chromium'

/** A skip reason outside CI when Chromium is missing; under CI the test runs and fails instead. */
export const noBrowser = existsSync(CHROMIUM)
  ? false
  : process.env.CI === 'true'
    ? false
    : `${CHROMIUM} is not installed (apt-get install -y chromium fonts-nanum); skipped outside CI`

const run = promisify(execFile)

/** Chromium as this machine runs it headless: no sandbox as root, and nothing that calls out. */
export async function launchBrowser (t: Test): Promise<Browser> {
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
  return browser
}

export interface StaffFacts { email: string, password: string }

/**
 * Creates a staff account the way an operator does: the command, against the service's database,
 * with a password of the operator's choosing (a generated one would open the change-password page
 * first). The TOTP secret is not printed: signIn reads it from the enrolment page.
 */
export async function staffAdd (
  env: Record<string, string>,
  email: string,
  role: 'admin' | 'reviewer'
): Promise<StaffFacts & { printed: Record<string, unknown> }> {
  const password = `console story ${role} ${Math.random().toString(36).slice(2)}`
  const { stdout } = await run(
    process.execPath,
    [...entryPoint('cli'), 'staff', 'add', '--email', email, '--role', role, '--password', password],
    { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } }
  )
  return { email, password, printed: JSON.parse(stdout) as Record<string, unknown> }
}

/** The code an authenticator app shows now, or `laterMs` ahead (the next step's: a code works once). */
export const totp = (secret: string, laterMs = 0): string =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + laterMs
  })

/**
 * The first sign-in of a staff member: password, then the key shown beside the enrolment QR typed
 * into an "authenticator", ending on the queue. Answers the QR's width and the TOTP secret.
 */
export async function signIn (
  page: Page,
  base: string,
  staff: StaffFacts
): Promise<{ qrWidth: number, secret: string }> {
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

/** A real JPEG, drawn by the browser itself, so console pages have an image they can decode and show. */
export async function drawJpeg (browser: Browser, width = 40, height = 30, colour = '#2a7'): Promise<Buffer> {
  const scratch = await browser.newPage()
  try {
    const encoded = await scratch.evaluate(({ width, height, colour }) => {
      const canvas = document.createElement('canvas')
      canvas.width = width
      canvas.height = height
      const context = canvas.getContext('2d')!
      context.fillStyle = colour
      context.fillRect(0, 0, width, height)
      return canvas.toDataURL('image/jpeg').split(',')[1]!
    }, { width, height, colour })
    return Buffer.from(encoded, 'base64')
  } finally {
    await scratch.close()
  }
}

/** The service's JSON client, as test/helpers/start-service.ts gives it. */
type Call = (method: string, path: string, options?: { body?: unknown }) => Promise<{ status: number, body: any }>

export interface SignedUp { uuid: string, mobile: string, username: string }

/**
 * Signs members up through the phone door as the app does: each photo uploaded with its presigned
 * form, then the registration (pending review), with `overrides` on the sign-up's fields. `call`
 * is the service's JSON client.
 */
export function memberSignUps (
  t: Test,
  call: Call,
  jpeg: Buffer
): (overrides?: Record<string, unknown>) => Promise<SignedUp> {
  const upload: Uploader = async kind => {
    const signed = await call('POST', '/api/sign-s3/', { body: { kind, content_type: 'image/jpeg' } })
    const { body, contentType } = await uploadForm(signed.body.fields, jpeg)
    const stored = await fetch(signed.body.url, { method: 'POST', body, headers: { 'content-type': contentType } })
    if (stored.status !== 204) throw new Error(`upload failed: ${stored.status}`)
    return signed.body.key
  }
  return async (overrides = {}) => {
    const [avatar, profile, file] = await Promise.all([upload('avatar'), upload('profile'), upload('verification')])
    const files = [{ display_order: 0, original: file }]
    const body = { ...registration(overrides), avatar, profile, verification_files: files }
    const res = await call('POST', '/api/registration/', { body })
    t.equal(res.status, 201)
    return { uuid: res.body.user.uuid as string, mobile: body.mobile, username: body.username }
  }
}
